"""Where a point is in the city (Chicago's files): ward (2023 map) with its alderman's office, community area,
neighborhood, police district with its station, and beat. Pure: files are read once, then every
lookup is a grid-cell look-up, and on a boundary a prepared point-in-polygon test (microseconds)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
from shapely import box, covers, prepare
from shapely.geometry import Point, shape

from backend.city import CITY

DATA = CITY.files.community_areas.parent  # the folder of the city's area files
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
    """Polygons with a value each; `at(long, lat, point)` is the value of the one covering it.

    The index is a grid of ~500 m cells. A cell inside one polygon answers by itself (about half
    of them); a cell on a boundary lists the polygons whose box reaches it, tested with a
    prepared covers() (~3 µs each). An STRtree query alone cost ~4 µs from Python."""

    CELL = 0.005  # degrees: ~555 m north-south, ~415 m east-west at Chicago's latitude

    def __init__(self, geometries: Sequence[Any], values: Sequence[T]) -> None:
        self._shapes = list(geometries)
        self._values = list(values)
        for geometry in self._shapes:
            prepare(geometry)
        bounds = np.array([g.bounds for g in self._shapes] or [(0.0, 0.0, 0.0, 0.0)])
        self._x0, self._y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        self._nx = int((bounds[:, 2].max() - self._x0) / self.CELL) + 1
        self._ny = int((bounds[:, 3].max() - self._y0) / self.CELL) + 1
        self._width, self._height = self._nx * self.CELL, self._ny * self.CELL
        cells: list[list[int]] = [[] for _ in range(self._nx * self._ny)]
        self._inside = [-1] * (self._nx * self._ny)  # the one polygon covering the whole cell
        for index, shape_ in enumerate(self._shapes):
            (ix0, iy0), (ix1, iy1) = (self._cell_xy(*bounds[index, k : k + 2]) for k in (0, 2))
            ix, iy = np.meshgrid(np.arange(ix0, ix1 + 1), np.arange(iy0, iy1 + 1))
            ixs, iys = ix.ravel(), iy.ravel()
            x, y = self._x0 + ixs * self.CELL, self._y0 + iys * self.CELL
            whole = covers(shape_, box(x, y, x + self.CELL, y + self.CELL))
            for cell, inside in zip((iys * self._nx + ixs).tolist(), whole.tolist(), strict=True):
                cells[cell].append(index)
                if inside:
                    self._inside[cell] = index
        self._cells = [tuple(c) for c in cells]

    @property
    def values(self) -> tuple[T, ...]:
        return tuple(self._values)

    def _cell_xy(self, long: float, lat: float) -> tuple[int, int]:
        ix = int((long - self._x0) / self.CELL)
        iy = int((lat - self._y0) / self.CELL)
        return min(self._nx - 1, max(0, ix)), min(self._ny - 1, max(0, iy))

    def at(self, long: float, lat: float, point: Point) -> T | None:
        """`point` is Point(long, lat), made once by the caller for every layer."""
        x, y = long - self._x0, lat - self._y0
        if not (0.0 <= x < self._width and 0.0 <= y < self._height):
            return None  # outside every polygon's box, or not a number
        cell = int(y / self.CELL) * self._nx + int(x / self.CELL)
        inside = self._inside[cell]
        if inside >= 0:
            return self._values[inside]
        for index in self._cells[cell]:
            if self._shapes[index].covers(point):
                return self._values[index]
        return None


Properties = dict[str, Any]  # a GeoJSON feature's properties, as the city's file has them


def _features(path: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(path.read_text())["features"]
    return features


def _layer(path: Path, value: Callable[[Properties], T]) -> AreaLayer[T]:
    features = _features(path)
    return AreaLayer(
        [shape(f["geometry"]) for f in features], [value(f["properties"]) for f in features]
    )


def load_wards() -> AreaLayer[Ward]:
    offices = {int(o["ward"]): o for o in json.loads(CITY.files.ward_offices.read_text())}

    def ward(props: Properties) -> Ward:
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

    return _layer(CITY.files.wards, ward)


def load_police_districts() -> AreaLayer[PoliceDistrict | None]:
    stations = {int(s["district"]): s for s in json.loads(CITY.files.police_stations.read_text())}

    def district(props: Properties) -> PoliceDistrict | None:
        number = int(props["dist_num"])
        station = stations.get(number)
        if station is None:  # "31": areas outside CPD's districts (no station)
            return None
        return PoliceDistrict(
            number,
            station["name"],
            f"{station['address']}, {CITY.name}, {CITY.state} {station['zip']}",
            station["phone"],
        )

    return _layer(CITY.files.police_districts, district)


def load_beats() -> AreaLayer[str | None]:
    return _layer(
        CITY.files.police_beats, lambda p: None if p["district"] == "31" else p["beat_num"]
    )


def load_neighborhoods() -> AreaLayer[str]:
    return _layer(CITY.files.neighborhoods, lambda p: p["pri_neigh"])
