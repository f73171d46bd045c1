"""Every package the code imports is declared in pyproject.toml, and requirements.lock (what
`make install` installs) pins each declared requirement at a version its specifier allows."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
FIRST_PARTY = {"backend", "sms", "tests", "bench", "fuzz", "piccolo_conf"}


def _requirements(*extras: str) -> list[Requirement]:
    lines = list(PYPROJECT["dependencies"])
    for extra in extras:
        lines += PYPROJECT["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def _declared(*extras: str) -> set[str]:
    return {canonicalize_name(r.name) for r in _requirements(*extras)}


def _catches_import_error(node: ast.Try) -> bool:
    """`try: import x / except ImportError:` is an optional import (bench/ compares candidates)."""
    for handler in node.handlers:
        if handler.type is None:  # a bare except
            return True
        names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for name in names:
            if isinstance(name, ast.Name) and name.id in ("ImportError", "ModuleNotFoundError"):
                return True
    return False


def _imports(path: Path) -> set[str]:
    """The top-level modules `path` imports, but for optional ones and its own directory's."""
    tree = ast.parse(path.read_text(), str(path))
    optional: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and _catches_import_error(node):
            optional.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    siblings = {p.stem for p in path.parent.iterdir()}  # a script's neighbours (bench/run.py)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return {
        name
        for name in found
        if name not in sys.stdlib_module_names
        and name not in FIRST_PARTY
        and name != "__future__"
        and name not in siblings
    }


@cache
def _providers() -> dict[str, list[str]]:
    return dict(packages_distributions())


def _undeclared(folders: list[str], declared: set[str]) -> dict[str, list[str]]:
    """{module: [the files importing it]} for each third-party module no declared
    distribution provides."""
    providers = _providers()
    missing: dict[str, list[str]] = {}
    for folder in folders:
        paths = [ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*.py"))
        for path in paths:
            for module in _imports(path):
                dists = {canonicalize_name(d) for d in providers.get(module, [])}
                if not dists & declared:
                    missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    return missing


def test_the_application_imports_only_what_it_declares():
    assert _undeclared(["backend", "sms", "piccolo_conf.py"], _declared()) == {}


def test_the_tests_and_the_fuzzer_import_only_what_the_test_extra_adds():
    assert _undeclared(["tests", "fuzz"], _declared("test")) == {}


def test_the_benchmarks_import_only_what_the_bench_extra_adds():
    assert _undeclared(["bench"], _declared("bench")) == {}


LOCK = ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\]+)", re.MULTILINE)


def _locked() -> dict[str, Version]:
    return {canonicalize_name(name): Version(v) for name, v in _PIN.findall(LOCK.read_text())}


@pytest.mark.parametrize(
    "requirement", _requirements("test", "bench"), ids=lambda r: str(r).replace(" ", "")
)
def test_the_lock_pins_each_requirement_within_its_range(requirement):
    """`make lock` after an edit of pyproject.toml's requirements keeps the two in step."""
    locked = _locked()
    name = canonicalize_name(requirement.name)
    assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
    assert requirement.specifier.contains(locked[name], prereleases=True), (
        f"requirements.lock has {name}=={locked[name]}, outside {requirement}: run `make lock`"
    )


def test_every_locked_package_is_pinned_with_its_hashes():
    """`make install` installs with --require-hashes: one entry without hashes would fail it."""
    text = LOCK.read_text()
    starts = [m.start() for m in _PIN.finditer(text)] + [len(text)]
    entries = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    assert len(entries) > 100
    assert [e.split("==", 1)[0] for e in entries if "--hash=sha256:" not in e] == []
