"""A message that names a field holds it as data (errors.Named), so each channel words it with its
own name for the field; the domain's wording keeps its ids. Pure."""

from __future__ import annotations

from backend.errors import FieldError, InvalidInput, Named
from backend.service_requests.intake import refuse

APP = {"service_code": "serviceCode", "idempotency_key": "Idempotency-Key"}


def app(field: str) -> str:
    return APP.get(field, field)


def test_a_named_field_is_worded_by_the_channel() -> None:
    exc = InvalidInput.naming("service_code", "a ", Named("service_code"), " is required")
    assert exc.detail == exc.errors[0].message == "a service_code is required"
    assert exc.errors[0].worded(app) == "a serviceCode is required"
    assert exc.worded_detail(app) == "a serviceCode is required"


def test_plain_messages_are_left_as_they_are() -> None:
    plain = FieldError("service_code", "'service_code' is not a service code")
    assert plain.worded(app) == plain.message
    exc = InvalidInput.for_field("lat", "a location is required")
    assert exc.worded_detail(app) == exc.detail


def test_the_submits_summary_names_its_fields() -> None:
    exc = refuse([FieldError("service_code", "x"), FieldError("lat", "y")])
    assert exc.detail == "2 fields need attention: service_code; lat"
    assert exc.worded_detail(app) == "2 fields need attention: serviceCode; lat"
    one = refuse([FieldError.naming("idempotency_key", Named("idempotency_key"), " is long")])
    assert one.detail == "idempotency_key is long"
    assert one.worded_detail(app) == "Idempotency-Key is long"
