"""Builds service_types.csv from the shared Chicago 311 reference files (by hand, not at run time).

Usage: python backend/catalog/data/build_service_types.py /path/to/shared/data/sr311

Inputs (in that directory): sr_types_merged.csv, chi311_portal_request_catalog_2025-10.csv,
open311_service_codes.csv. The output is the union of the merged table (110 types seen in the city's
311 data) and the 311 portal catalog (106 requestable types), matched on names compared without
case, accents or punctuation. What the sources do not say (department of types without an owner in
the data, portal group of types the portal does not list, short codes of types without one, which
types are not resident-requestable) is decided by the explicit tables below, so the result is
reproducible and every judgement is visible in one place.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "service_types.csv"
COLUMNS = [
    "code", "name", "department", "group", "open311_code", "popularity", "description", "active",
    "code_source",
]  # fmt: skip
MAX_CODE = 16
DERIVED_CODE_LEN = 12

# Names that are the same type under an older name in the data and a newer one on the portal.
SAME_TYPE = {"Public Vehicle Complaint": "Public Vehicle/Valet Complaint"}

# Names whose Open311 service is listed under a slightly different name.
OPEN311_NAME = {
    "Sidewalk Café/Outdoor Dining Complaint": "Sidewalk Cafe Complaint",
    "Tree Trim Request (NO LONGER BEING ACCEPTED)": "Tree Trim Request",
}

# Not requestable by a resident or an operator: call logs, notices, discontinued or superseded
# types, and inspections the city opens itself by transfer from another request.
INACTIVE = {
    "311 INFORMATION ONLY CALL",  # call log of information calls, not a service request
    "Tree Trim Request (NO LONGER BEING ACCEPTED)",  # discontinued by the city
    "Extreme Weather Notification",  # outgoing city notice
    "Pavement Cave-In Inspection Request",  # opened by CDOT on transfer from pothole requests
    "E-Scooter",  # pilot-era type, superseded by "E-Scooter Parking Complaint"
}

MOPD = "MOPD - Mayor's Office for People with Disabilities"

# Owning department for types the data does not give one for (assigned by City311).
DEPARTMENT = {
    "Weed Removal Request": "Streets and Sanitation",
    "Finance Parking Code Enforcement Review": "Finance",
    "E-Scooter Parking Complaint": "CDOT - Department of Transportation",
    "Wire Basket Request": "Streets and Sanitation",
    "Bee/Wasp Removal": "Streets and Sanitation",
    "Dead Bird": "Health",
    "Porch Inspection Request": "DOB - Buildings",
    "Sidewalk Café/Outdoor Dining Complaint": "BACP - Business Affairs and Consumer Protection",
    "Clean and Green Program Request": "Streets and Sanitation",
    "Home Buyer Program Info Request": "Department of Housing",
    "Commercial Fire Safety Inspection Request": "Fire Department",
    "Public Vehicle/Valet Complaint": "BACP - Business Affairs and Consumer Protection",
    "Lead Inspection Request": "Health",
    "Liquor Establishment Complaint": "BACP - Business Affairs and Consumer Protection",
    "Animal In Trap Complaint": "Animal Care and Control",
    "No Air Conditioning": "DOB - Buildings",
    "Wage Complaint": "BACP - Business Affairs and Consumer Protection",
    "Paid Sick Leave Violation": "BACP - Business Affairs and Consumer Protection",
    "Ridesharing Complaint": "BACP - Business Affairs and Consumer Protection",
    "Pushcart Food Vendor Complaint": "Health",
    "Tobacco - General Complaint": "BACP - Business Affairs and Consumer Protection",
    "Snow Removal - Protected Bike Lane or Bridge Sidewalk": "CDOT - Department of Transportation",
    "Tobacco - Sale to Minors Complaint": "BACP - Business Affairs and Consumer Protection",
    "Inaccurate Fuel Pump Complaint": "BACP - Business Affairs and Consumer Protection",
    "E-Scooter": "CDOT - Department of Transportation",
    "No Solicitation Complaint": "BACP - Business Affairs and Consumer Protection",
    "Outdated Merchandise Complaint": "BACP - Business Affairs and Consumer Protection",
    "Pavement Cave-In Inspection Request": "CDOT - Department of Transportation",
    "Renters and Foreclosure Complaint": "Department of Housing",
    "Submerged Divvy or Lime Device in the Lake/River": "CDOT - Department of Transportation",
    "Licensed Pharmaceutical Representative Complaint": "BACP - Business Affairs and Consumer Protection",
    "Inaccurate Retail Scales Complaint": "BACP - Business Affairs and Consumer Protection",
    "Extreme Weather Notification": "311 City Services",
    "Smokeless Tobacco at Sports Event Complaint": "Health",
    "Petcoke Dust Complaint": "Health",
    "Accessible Home Modifications - Disabilities": MOPD,
    "Accessible Pedestrian Signal Complaint": "CDOT - Department of Transportation",
    "Air Pollution, Odor or Dust Complaint": "Health",
    "Asbestos Complaint": "Health",
    "Benefit Access Assistance - Disabilities": MOPD,
    "Buildings - Boiler Violation": "DOB - Buildings",
    "Buildings - Electrical Violation": "DOB - Buildings",
    "Buildings - Elevator Violation": "DOB - Buildings",
    "City Clerk Feedback Request": "City Clerk's Office",
    "Construction & Demolition Complaint": "DOB - Buildings",
    "Discrimination Assistance Request": "CCHR - Commission on Human Relations",
    "Gas Station and Storage Tank Complaint": "Health",
    "Housing Information - Disabilities": MOPD,
    "In-Home Services – Disabilities": MOPD,
    "Landlord/Tenant Info Request": "Department of Housing",
    "Mosquito Spraying Inquiries (Formerly West Nile Virus)": "Health",
    "New Accessible Pedestrian Signal Request": "CDOT - Department of Transportation",
    "No Heat Complaint": "DOB - Buildings",
    "Equipment Noise Complaint": "Health",
    "Noise Complaint - Garbage Truck (Private Vendor)": "Streets and Sanitation",
    "Senior Information and Assistance Request": "DFSS - Family and Support Services",
    "Senior Related Literature Request": "DFSS - Family and Support Services",
    "Senior Well-Being Check Request": "DFSS - Family and Support Services",
    "Sign Repair - Base / Bolt Removal": "CDOT - Department of Transportation",
    "Tanning and Body Art Complaint": "Health",
    "Transportation Assistance – Disabilities": MOPD,
    "Utility/Energy Assistance - Disabilities": MOPD,
}

# Portal group for types the portal does not list, where the group is plain from the portal's
# own grouping of sibling types (assigned by City311; the rest stay "Other").
GROUP = {
    "Garbage Cart Maintenance": "Garbage and Recycling",
    "Yard Waste Pick-Up Request": "Garbage and Recycling",
    "Tree Trim Request (NO LONGER BEING ACCEPTED)": "Parks, Trees and Environment",
    "Dead Animal Pick-Up Request": "Animals",
    "Stray Animal Complaint": "Animals",
    "Report an Injured Animal": "Animals",
    "Vicious Animal Complaint": "Animals",
    "Nuisance Animal Complaint": "Animals",
    "Dead Bird": "Animals",
    "Inspect Public Way Request": "Transportation and Streets",
    "Ice and Snow Removal Request": "Transportation and Streets",
    "Snow – Uncleared Sidewalk Complaint": "Transportation and Streets",
    "Snow - Object/Dibs Removal Request": "Transportation and Streets",
    "Snow Removal - Protected Bike Lane or Bridge Sidewalk": "Transportation and Streets",
    "Shared Cost Sidewalk Program Request": "Transportation and Streets",
    "Vehicle Parked in Bike Lane Complaint": "Transportation and Streets",
    "Protected Bike Lane - Debris Removal": "Transportation and Streets",
    "Cab Feedback": "Transportation and Streets",
    "E-Scooter": "Transportation and Streets",
    "Pavement Cave-In Inspection Request": "Transportation and Streets",
    "Submerged Divvy or Lime Device in the Lake/River": "Transportation and Streets",
    "Buildings - Plumbing Violation": "Home and Buildings",
    "No Water Complaint": "Home and Buildings",
    "No Air Conditioning": "Home and Buildings",
    "Home Buyer Program Info Request": "Home and Buildings",
    "Liquor Establishment Complaint": "Consumer and Employee Protection",
    "Licensed Pharmaceutical Representative Complaint": "Consumer and Employee Protection",
}

STOP_WORDS = {"A", "AN", "AND", "AT", "BY", "FOR", "IN", "OF", "ON", "OR", "THE", "TO",
              "REQUEST", "COMPLAINT", "FORMERLY"}  # fmt: skip


def norm(name: str) -> str:
    """Name key for matching across files: no case, accents, punctuation or spacing."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("&", " and "))


def derived_code(name: str) -> str:
    """Our short code for a type Chicago gives none: the significant words of the name, each cut to
    its first 4 letters unless the whole words fit (Asbestos Complaint → ASBESTOS,
    Weed Removal Request → WEEDREMO)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = [w for w in re.findall(r"[A-Z0-9]+", text) if w not in STOP_WORDS]
    whole = "".join(words)
    if len(whole) <= DERIVED_CODE_LEN:
        return whole
    return "".join(w[:4] for w in words)[:DERIVED_CODE_LEN]


def neutral_description(name: str) -> str:
    """A plain description for types the portal has no text for, built from the name alone."""
    if name.endswith(" Complaint"):
        return f"Use this service request to report: {name.removesuffix(' Complaint')}."
    if name.endswith(" Request"):
        return f"Use this service request to ask for: {name.removesuffix(' Request')}."
    return f"Use this service request for: {name}."


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


# Types of City311's own, not in the city's 311 data: the non-emergency police report, which the
# Chicago Police Department's Alternate Response Section takes by phone and online (its rules:
# backend/police/screening.py); private (questions.json), filed only through backend/police.
OURS = [
    {
        "code": "ARS",
        "name": "Non-Emergency Police Report",
        "department": "CPD - Alternate Response Section",
        "group": "Public Safety",
        "open311_code": "",
        "popularity": "0",
        "description": (
            "A police report for an incident that is not an emergency (a theft, lost property, "
            "damage, fraud, harassing or threatening calls, a simple assault, a stolen vehicle) "
            "when the offender is gone and unknown, nobody needs medical attention and no "
            "firearm is involved. The Alternate Response Section reviews it and issues a "
            "Records Division (RD) number."
        ),
        "code_source": "city311",
        "active": "true",
    }
]


def build(src: Path) -> list[dict[str, str]]:
    merged = read(src / "sr_types_merged.csv")
    portal = {norm(r["name"]): r for r in read(src / "chi311_portal_request_catalog_2025-10.csv")}
    open311 = {norm(r["service_name"]): r["service_code"]
               for r in read(src / "open311_service_codes.csv")}  # fmt: skip

    rows: dict[str, dict[str, str]] = {}
    for m in merged:
        name = SAME_TYPE.get(m["sr_type"], m["sr_type"])
        p = portal.get(norm(name))
        rows[norm(name)] = {
            "code": m["sr_short_code"],
            "name": p["name"] if p else name,
            "department": m["owner_department"],
            "group": (p["category"] if p else "") or m["portal_category"],
            "open311_code": m["open311_service_code"],
            "popularity": m["n_requests_all_time"] or "0",
            "description": p["description"] if p else "",
        }
    for key, p in portal.items():
        if key not in rows:
            rows[key] = {
                "code": "",
                "name": p["name"],
                "department": "",
                "group": p["category"],
                "open311_code": "",
                "popularity": "0",
                "description": p["description"],
            }

    chicago_codes = {r["code"] for r in rows.values() if r["code"]}
    taken = set(chicago_codes)
    out = []
    for r in sorted(rows.values(), key=lambda r: r["name"]):
        name = r["name"]
        r["code_source"] = "chicago" if r["code"] else "city311"
        if not r["code"]:
            base, n = derived_code(name), 2
            code = base
            while code in taken:
                code = f"{base[: DERIVED_CODE_LEN - len(str(n))]}{n}"
                n += 1
            r["code"] = code
        taken.add(r["code"])
        r["department"] = r["department"] or DEPARTMENT[name]
        r["group"] = r["group"] or GROUP.get(name, "Other")
        r["open311_code"] = r["open311_code"] or open311.get(norm(OPEN311_NAME.get(name, name)), "")
        r["description"] = " ".join(r["description"].split()) or neutral_description(name)
        r["active"] = "false" if name in INACTIVE else "true"
        assert re.fullmatch(rf"[A-Z0-9]{{1,{MAX_CODE}}}", r["code"]), r["code"]
        out.append(r)
    out.extend(dict(r) for r in OURS)
    assert len({r["code"] for r in out}) == len(out), "codes must be unique"
    out.sort(key=lambda r: (-int(r["popularity"]), r["name"]))
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit(f"usage: {argv[0]} /path/to/shared/data/sr311")
    rows = build(Path(argv[1]))
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r[c] for c in COLUMNS} for r in rows)
    active = sum(r["active"] == "true" for r in rows)
    print(f"wrote {OUT} ({len(rows)} types, {active} active)")


if __name__ == "__main__":
    main(sys.argv)
