"""The Makefile as a new user meets it: `make help` lists the targets, `make clean` keeps .venv and
`make distclean` removes it, and a first install shows pip's progress."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args: str) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_lists_every_target_with_what_it_does():
    listed = dict(re.findall(r"^  make (\S+)\s+(.+)$", make("help"), re.MULTILINE))
    for target in ("run", "test", "test-postgres", "install", "clean", "distclean", "lint"):
        assert listed.get(target), (target, listed)
    assert make() == make("help")  # plain `make` is the list, not an install


def test_clean_keeps_the_venv_and_distclean_removes_it():
    clean = make("-n", "clean")
    assert "rm -rf var" in clean and ".venv" not in clean
    assert re.search(r"rm -rf \.venv", make("-n", "distclean"))


def test_a_first_install_shows_pips_progress():
    install = make("-n", "-B", ".venv/bin/city311")
    pip_lines = [line for line in install.splitlines() if "pip install" in line and "-e" in line]
    assert pip_lines and all("--quiet" not in line and " -q" not in line for line in pip_lines)


def test_install_takes_the_locked_versions_and_runs_again_when_the_lock_changes():
    install = make("-n", "-B", ".venv/bin/city311")
    assert "--require-hashes --no-deps -r requirements.lock" in install
    assert re.search(r"pip install .*--no-deps -e \.$", install, re.MULTILINE)
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(BIN\)/city311: pyproject\.toml \$\(LOCK\)$", makefile, re.MULTILINE)
    assert re.search(r"^LOCK := requirements\.lock$", makefile, re.MULTILINE)


def test_make_run_prints_the_addresses_of_the_app_and_the_console():
    run = make("-n", "run", "PORT=8123")
    for address in ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/staff/"):
        assert re.search(rf"^echo .*{re.escape(address)}(\s|\"|$)", run, re.MULTILINE), run
