"""The cities City311 knows how to serve, one profile each: names, time zone, numbers, Open311
jurisdiction, address grid and data files. Settings picks one (CITY311_CITY); backend/city.py is the
one picked. A second city is a new profile here and its data files (docs/city.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

BACKEND = Path(__file__).resolve().parent


@dataclass(frozen=True)
class AddressGrid:
    """The city's address grid: where its numbers start and how many make a mile."""

    origin: tuple[str, str]  # the streets numbered 0 east/west and 0 north/south
    units_per_mile: int
    lat_range: tuple[float, float]  # the latitudes and longitudes the grid is traced over
    long_range: tuple[float, float]


@dataclass(frozen=True)
class CityFiles:
    """The data files of one city (docs/city.md says each one's format)."""

    community_areas: Path  # the city's outline: the union of these areas
    wards: Path
    ward_offices: Path
    police_districts: Path
    police_stations: Path
    police_beats: Path
    neighborhoods: Path
    street_names: Path
    intersections: Path
    grid_anchors: Path
    landmarks: Path
    service_types: Path
    questions: Path
    checklists: Path
    keywords: Path
    beat_meetings: Path
    info_articles: Path
    portal_links: Path
    demo_requests: Path


@dataclass(frozen=True)
class CityProfile:
    key: str  # what CITY311_CITY names
    name: str
    state: str  # in postal addresses: "Chicago, IL"
    time_zone: str  # IANA
    phone_region: str  # phonenumbers' region for a number typed without a country code
    open311_jurisdiction: str  # the one jurisdiction_id this server answers for
    phone: str  # what residents dial inside the city
    outside_city_phone: (
        str  # the same service from outside the city (or where 311 can't be dialled)
    )
    website: str
    contact_email: str  # the Web Push contact (the VAPID subject) push services may write to
    # metres in a degree of longitude at the city's latitude (backend/geo/distance.py)
    metres_per_degree_long: float
    grid: AddressGrid
    files: CityFiles

    @cached_property
    def tz(self) -> ZoneInfo:
        """The city's time zone: its days, quiet hours, digests and local times."""
        return ZoneInfo(self.time_zone)


_GEO = BACKEND / "geo" / "data"

CHICAGO = CityProfile(
    key="chicago",
    name="Chicago",
    state="IL",
    time_zone="America/Chicago",
    phone_region="US",
    open311_jurisdiction="cityofchicago.org",
    phone="311",
    outside_city_phone="(312) 744-5000",
    website="https://www.chicago.gov/311",
    contact_email="311@cityofchicago.org",
    metres_per_degree_long=82_760.0,  # at 41.85° N; the city spans 0.4° of latitude: ±0.4 % off
    grid=AddressGrid(
        origin=("STATE ST", "MADISON ST"),
        units_per_mile=800,
        lat_range=(41.64, 42.03),
        long_range=(-87.95, -87.52),
    ),
    files=CityFiles(
        community_areas=_GEO / "community_areas.geojson",
        wards=_GEO / "wards_2023.geojson",
        ward_offices=_GEO / "ward_offices_2023.json",
        police_districts=_GEO / "police_districts.geojson",
        police_stations=_GEO / "police_stations.json",
        police_beats=_GEO / "police_beats.geojson",
        neighborhoods=_GEO / "neighborhoods.geojson",
        street_names=_GEO / "streets" / "chicago_street_names.csv",
        intersections=_GEO / "streets" / "chicago_intersections.csv",
        grid_anchors=_GEO / "grid_anchors.json",
        landmarks=_GEO / "landmarks" / "landmarks.csv",
        service_types=BACKEND / "catalog" / "data" / "service_types.csv",
        questions=BACKEND / "catalog" / "data" / "questions.json",
        checklists=BACKEND / "catalog" / "data" / "checklists.json",
        keywords=BACKEND / "catalog" / "data" / "keywords.json",
        beat_meetings=BACKEND / "police" / "data" / "caps_beat_meetings_2016_2018.csv.gz",
        info_articles=BACKEND / "info" / "data" / "articles.json",
        portal_links=BACKEND / "info" / "data" / "portal_request_links.csv",
        demo_requests=BACKEND / "demo_data" / "requests.csv",
    ),
)

PROFILES: dict[str, CityProfile] = {CHICAGO.key: CHICAGO}
DEFAULT = CHICAGO.key


def profile(key: str) -> CityProfile:
    """The profile CITY311_CITY names (any case); SystemExit naming the known ones otherwise."""
    found = PROFILES.get(key.strip().lower())
    if found is None:
        raise SystemExit(
            f"CITY311_CITY: no city profile named {key!r}; known: {', '.join(sorted(PROFILES))}"
        )
    return found
