"""Issue 17's two held-out sets (tests/sms/data/fresh_texts.jsonl, fresh_texts_2.jsonl): looser
floors than bench/sms_fresh.py's targets, per language and overall."""

import importlib.util
from pathlib import Path

import pytest

from sms.parse import Parser

BENCH = Path(__file__).resolve().parents[2] / "bench" / "sms_fresh.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("sms_fresh", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def parser():
    return Parser.load()


@pytest.fixture(scope="module", params=["fresh_texts.jsonl", "fresh_texts_2.jsonl"])
def rows(request, bench):
    return bench.fresh_rows(bench.FRESH.with_name(request.param))


def test_each_set_is_large_enough_in_every_language(bench, rows):
    assert len(rows) >= 400
    for language in bench.LANGUAGES:
        assert sum(r["language"] == language for r in rows) >= 80
    assert len({r["text"] for r in rows}) == len(rows)


def test_the_sets_share_no_text(bench):
    first, second = (bench.fresh_rows(p) for p in (bench.FRESH, bench.FRESH_2))
    assert not {r["text"] for r in first} & {r["text"] for r in second}


def test_held_out_floors(bench, parser, rows):
    figures = bench.measure(parser, rows)[0]
    for language in (*bench.LANGUAGES, "all"):
        f = figures[language]
        assert f["confident_right"] >= 85, (language, f)
        assert f["asked"] <= 30, (language, f)
        assert f["placed"] >= 85, (language, f)
