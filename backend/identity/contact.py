"""A reporter's contact details, checked and normalised: phones to E.164, e-mails by their syntax.

The SMS channel keys conversations on E.164, so every channel stores phones in that form.
"""

from __future__ import annotations

import email_validator
import phonenumbers

from backend.city import CITY

DEFAULT_REGION = CITY.phone_region  # Chicago's "US": a 10-digit number without +1 is a US number


class ContactInvalid(ValueError):
    """The message says what is wrong, in a resident's words."""


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """'(312) 744-5000' -> '+13127445000'; raises ContactInvalid unless it is a valid number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ContactInvalid("not a phone number; write it like (312) 744-5000") from None
    if not phonenumbers.is_valid_number(number):
        raise ContactInvalid("not a valid phone number; write it like (312) 744-5000")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """The address with its domain lower-cased (and IDNA-normalised); no DNS look-up."""
    try:
        checked = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise ContactInvalid(f"not an e-mail address: {exc}") from None
    return checked.normalized
