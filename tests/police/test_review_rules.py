"""The police reports' rules that the staff handlers only call: who may review (a department user
only as a member of the Alternate Response Section) and the caller's phone for texts."""

from __future__ import annotations

import pytest

from backend.errors import Forbidden, InvalidInput
from backend.police.reports import SERVICE_CODE, caller_subscriber
from backend.service_requests.models import Subscriber


def test_only_the_ars_department_reviews(services):
    ars = services.catalog.by_code(SERVICE_CODE)
    assert ars is not None
    services.police.check_reviewer(None)  # supervisors: every department
    services.police.check_reviewer([ars.department_id])
    for departments in ([], [ars.department_id + 1000]):
        with pytest.raises(Forbidden, match="only the Alternate Response Section reviews"):
            services.police.check_reviewer(departments)


def test_the_caller_is_texted_only_when_asked_and_on_a_real_phone():
    assert caller_subscriber("312 555 0142", "es", notify=False) is None
    assert caller_subscriber("(312) 555-0142", "pl", notify=True) == Subscriber.phone(
        "+13125550142", "pl"
    )
    with pytest.raises(InvalidInput, match="texting the caller needs their phone") as missing:
        caller_subscriber(None, "en", notify=True)
    assert missing.value.errors[0].field == "phone"
    with pytest.raises(InvalidInput, match="phone: ") as bad:
        caller_subscriber("not a phone", "en", notify=True)
    assert bad.value.errors[0].field == "phone"


def test_the_station_of_a_place_given_or_none(services):
    assert services.police.station_of(None, None, None) is None
    assert services.police.station_of("   ", None, None) is None
    station = services.police.station_of(None, 41.9097, -87.6776)  # Wicker Park
    assert station is not None and station.number > 0
