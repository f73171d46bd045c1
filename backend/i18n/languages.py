"""The languages City311 serves: the four it writes in full, the ones the city's language-access
rules name, and what every other language gets (an interpreter's call back).

Chicago's Language Access Ordinance (Municipal Code of Chicago, chapter 2-40, passed by the City
Council on 2015-05-06, record SO2015-1531) has every department that serves the public "provide
services in any non-English language spoken by a limited or non-English proficient population
that constitutes 5% or 10,000 individuals, whichever is less, in Chicago" (2-40-020(b)3). The
City's Language Access Advisory Committee, whose recommendations the ordinance was based on
("Bridging the Language Gap", 2015), aims at access "in the top five languages spoken in
Chicago": Spanish, Polish, Chinese (Mandarin), Hindi and Arabic.
Sources: https://codelibrary.amlegal.com/codes/chicago/latest/chicago_il/0-0-0-2598843 and
https://www.chicago.gov/city/en/depts/mayor/supp_info/office-of-new-americans/language-access.html
"""

from __future__ import annotations

# Every reply, notification and catalog entry in these (backend/i18n/locale/, sms/language.py).
FULL_SUPPORT = ("en", "es", "pl", "zh")

# The top five non-English languages the city's language-access policy names.
CITY_REQUIRED = ("es", "pl", "zh", "hi", "ar")

# What the city requires that City311 does not write in full: a text in one of these (or any
# other language sms/language_bank.py identifies) is answered with a short reply in that
# language, where sms/language_bank.py has one, and an interpreter calls back.
INTERPRETER_ONLY = tuple(code for code in CITY_REQUIRED if code not in FULL_SUPPORT)
