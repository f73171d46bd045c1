"""The city City311 serves: its name, time zone, and the numbers residents are given (311, and the
one for calling from outside the city). One profile, read by every channel that tells them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CityProfile:
    name: str
    time_zone: str
    phone: str  # what residents dial inside the city
    outside_city_phone: (
        str  # the same service from outside the city (or where 311 can't be dialled)
    )
    website: str


CITY = CityProfile(
    name="Chicago",
    time_zone="America/Chicago",
    phone="311",
    outside_city_phone="(312) 744-5000",
    website="https://www.chicago.gov/311",
)
OUTSIDE_CITY_PHONE = CITY.outside_city_phone
