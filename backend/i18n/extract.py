"""A Babel extractor for the catalog's data files (`make messages`, domain `catalog`): the names of
the active service types (service_types.csv) and their questions and options (questions.json).

Each message's context says what it names, as backend/catalog/translate.py looks it up: "PHF" a
type, "PHF.LOCATION" a question, "PHF.LOCATION.curb_lane" an option."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO

Extracted = tuple[int, str, tuple[str, str], list[str]]


def catalog_data(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[Extracted]:
    name = PurePath(getattr(fileobj, "name", "")).name
    text = fileobj.read().decode("utf-8")
    if name == "service_types.csv":
        rows = csv.DictReader(io.StringIO(text))
        for line, row in enumerate(rows, 2):
            if row["active"] == "true":
                yield line, "pgettext", (row["code"], row["name"]), ["a service type"]
    elif name == "questions.json":
        yield from _questions(json.loads(text))


def _questions(data: dict) -> Iterator[Extracted]:
    for code, entry in data.items():
        for q in entry.get("questions", []):
            context = f"{code}.{q['code']}"
            yield 0, "pgettext", (context, q["label"]), ["a question"]
            for choice in q.get("choices", []):
                yield 0, "pgettext", (f"{context}.{choice['key']}", choice["name"]), ["an option"]
