"""Rebuilds this folder's area files from ../shared/data (run by hand; the product reads only the
output): ward, police district, beat and neighborhood boundaries with just the properties we use,
ward offices and police stations. `python backend/geo/data/build_areas.py [SHARED_DATA_DIR]`."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
KEEP = {
    "wards_2023.geojson": ["ward"],
    "police_districts.geojson": ["dist_num", "dist_label"],
    "police_beats.geojson": ["beat_num", "district"],
    "neighborhoods.geojson": ["pri_neigh"],
}


def main(shared: Path) -> None:
    for name, props in KEEP.items():
        data = json.loads((shared / "boundaries" / name).read_text())
        features = [
            {
                "type": "Feature",
                "properties": {k: f["properties"][k] for k in props},
                "geometry": f["geometry"],
            }
            for f in data["features"]
        ]
        out = {"type": "FeatureCollection", "features": features}
        (HERE / name).write_text(json.dumps(out, separators=(",", ":")))
    offices = json.loads((shared / "civic" / "ward_offices_2023.json").read_text())
    keep = [
        "ward",
        "alderman",
        "address",
        "city",
        "state",
        "zipcode",
        "ward_phone",
        "email",
        "location",
    ]
    rows = sorted(({k: o.get(k) for k in keep} for o in offices), key=lambda o: int(o["ward"]))
    (HERE / "ward_offices_2023.json").write_text(json.dumps(rows, indent=1) + "\n")
    with (shared / "police" / "police_stations.csv").open(newline="") as f:
        stations = [
            {
                "district": r["DISTRICT"],
                "name": r["DISTRICT NAME"],
                "address": " ".join(r["ADDRESS"].split()),
                "zip": r["ZIP"],
                "phone": r["PHONE"],
                "lat": float(r["LATITUDE"]),
                "long": float(r["LONGITUDE"]),
            }
            for r in csv.DictReader(f)
            if r["DISTRICT"].isdigit()
        ]
    (HERE / "police_stations.json").write_text(json.dumps(stations, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "data"))
