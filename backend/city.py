"""The city this process serves, as Settings selects it (CITY311_CITY; backend/cities.py holds the
profiles): its name, time zone, phone region, Open311 jurisdiction, the numbers residents are given
(311, and the one for calling from outside the city), its address grid and its data files. Every
module that needs the city reads it here."""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

from backend.cities import CityProfile
from backend.settings import load_city

__all__ = ["CITY", "OUTSIDE_CITY_PHONE", "TIME_ZONE", "CityProfile"]

CITY: Final[CityProfile] = load_city()
TIME_ZONE: Final[ZoneInfo] = CITY.tz
OUTSIDE_CITY_PHONE: Final[str] = CITY.outside_city_phone
