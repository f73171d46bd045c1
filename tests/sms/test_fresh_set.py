"""Issue 17's held-out texts (tests/sms/data/fresh_texts.jsonl): looser floors than bench/sms_fresh.py's targets."""

import importlib.util
from pathlib import Path

import pytest

from sms.parse import Parser

BENCH = Path(__file__).resolve().parents[2] / "bench" / "sms_fresh.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("sms_fresh", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(bench):
    return bench.measure(Parser.load(), bench.fresh_rows())[0]


def test_the_set_is_large_enough_in_every_language(bench):
    rows = bench.fresh_rows()
    assert len(rows) >= 400
    for language in bench.LANGUAGES:
        assert sum(r["language"] == language for r in rows) >= 80


@pytest.mark.parametrize("language", ["en", "es", "pl", "zh", "all"])
def test_held_out_floors(figures, language):
    f = figures[language]
    assert f["confident_right"] >= 85, f
    assert f["asked"] <= 30, f
    assert f["placed"] >= 85, f
