"""A Babel extractor for the catalog's data files (`make messages`, domain `catalog`): the names and
descriptions of the active service types (service_types.csv), their questions, options and the
questions' descriptions (questions.json), and the operators' intake checklists (checklists.json).

Each message's context says what it names, as backend/catalog/translate.py looks it up: "PHF" a
type, "PHF.LOCATION" a question, "PHF.LOCATION.curb_lane" an option, "PHF/description" and
"PHF.DEEP_HOLE/description" descriptions, "PHF/checklist/address" a checklist step, "group" the name of
a group of types ("Animals")."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterator, Mapping
from pathlib import PurePath
from typing import IO, Any

Extracted = tuple[int, str, tuple[str, str], list[str]]


def catalog_data(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    name = PurePath(getattr(fileobj, "name", "")).name
    text = fileobj.read().decode("utf-8")
    if name == "service_types.csv":
        rows = csv.DictReader(io.StringIO(text))
        for line, row in enumerate(rows, 2):
            if row["active"] == "true":
                yield line, "pgettext", (row["code"], row["name"]), ["a service type"]
                yield line, "pgettext", ("group", row["group"]), ["a group of service types"]
                if row["description"].strip():
                    context = f"{row['code']}/description"
                    yield line, "pgettext", (context, row["description"]), ["a type's description"]
    elif name == "questions.json":
        yield from _questions(json.loads(text))
    elif name == "checklists.json":
        for code, steps in json.loads(text).items():
            for step in steps:
                context = f"{code}/checklist/{step['id']}"
                yield 0, "pgettext", (context, step["text"]), ["an operator's checklist step"]


def _questions(data: dict[str, Any]) -> Iterator[Extracted]:
    for code, entry in data.items():
        for q in entry.get("questions", []):
            context = f"{code}.{q['code']}"
            yield 0, "pgettext", (context, q["label"]), ["a question"]
            if q.get("description", "").strip():
                yield 0, "pgettext", (f"{context}/description", q["description"]), ["a hint"]
            for choice in q.get("choices", []):
                yield 0, "pgettext", (f"{context}.{choice['key']}", choice["name"]), ["an option"]
