"""Where a point is in Chicago: ward (2023 map) with its alderman's office, community area,
neighborhood, police district with its station, and beat. Pure: files are read once, then every
lookup is a spatial-index query and a prepared point-in-polygon test (microseconds)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from shapely import STRtree, prepare
from shapely.geometry import Point, shape

DATA = Path(__file__).parent / "data"
T = TypeVar("T")


@dataclass(frozen=True)
class Ward:
    number: int
    alderman: str
    office_address: str
    office_phone: str
    email: str


@dataclass(frozen=True)
class PoliceDistrict:
    number: int
    name: str
    station_address: str
    station_phone: str


@dataclass(frozen=True)
class Places:
    ward: Ward | None
    community_area: int | None
    community_area_name: str | None
    neighborhood: str | None
    police_district: PoliceDistrict | None
    beat: str | None  # "1713": district 17, sector 1, beat 3


class AreaLayer(Generic[T]):
    """Polygons with a value each; `at(point)` is the value of the one covering it."""

    def __init__(self, geometries: Sequence[Any], values: Sequence[T]) -> None:
        self._shapes = list(geometries)
        self._values = list(values)
        for geometry in self._shapes:
            prepare(geometry)
        self._tree = STRtree(self._shapes)

    def at(self, point: Point) -> T | None:
        for index in self._tree.query(point):
            if self._shapes[index].covers(point):
                return self._values[index]
        return None


def _features(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text())["features"]


def _layer(name: str, value) -> AreaLayer:
    features = _features(name)
    return AreaLayer(
        [shape(f["geometry"]) for f in features], [value(f["properties"]) for f in features]
    )


def load_wards() -> AreaLayer[Ward]:
    offices = {int(o["ward"]): o for o in json.loads((DATA / "ward_offices_2023.json").read_text())}

    def ward(props: dict) -> Ward:
        number = int(props["ward"])
        office = offices.get(number, {})
        address = ", ".join(
            filter(
                None,
                [
                    office.get("address"),
                    office.get("city"),
                    f"{office.get('state', '')} {office.get('zipcode', '')}".strip(),
                ],
            )
        )
        return Ward(
            number,
            office.get("alderman", ""),
            address,
            office.get("ward_phone", ""),
            office.get("email", ""),
        )

    return _layer("wards_2023.geojson", ward)


def load_police_districts() -> AreaLayer[PoliceDistrict | None]:
    stations = {
        int(s["district"]): s for s in json.loads((DATA / "police_stations.json").read_text())
    }

    def district(props: dict) -> PoliceDistrict | None:
        number = int(props["dist_num"])
        station = stations.get(number)
        if station is None:  # "31": areas outside CPD's districts (no station)
            return None
        return PoliceDistrict(
            number,
            station["name"],
            f"{station['address']}, Chicago, IL {station['zip']}",
            station["phone"],
        )

    return _layer("police_districts.geojson", district)


def load_beats() -> AreaLayer[str | None]:
    return _layer(
        "police_beats.geojson", lambda p: None if p["district"] == "31" else p["beat_num"]
    )


def load_neighborhoods() -> AreaLayer[str]:
    return _layer("neighborhoods.geojson", lambda p: p["pri_neigh"])
