"""Browser tests: Debian's Chromium (/usr/bin/chromium, `make browser`) driven by Playwright's sync API
against a real `city311 serve`, one per run of this folder, over its own migrated and demo-seeded
SQLite, with Twilio and Web Push pointed at the loopback fakes of tests/fakes.

Every test in tests/browser is marked `browser` and `slow` here (no marker to write), runs in the
SQLite run only (the PostgreSQL run deselects them: the server has its own SQLite anyway), and
fails when Chromium is missing (CITY311_SKIP_BROWSER=1 skips them instead; CITY311_CHROMIUM names
another executable than /usr/bin/chromium).

    def test_home(page, web_server, shot, axe):
        page.goto("/")                          # phone, 390x844; base URL is the server's
        expect(page.locator("main")).to_be_visible()
        shot(page, "home-phone")                # var/screenshots/home-phone.png
        assert not serious(axe(page))           # axe-core's violations, serious or critical

    def test_console(desktop_page, web_server):
        token = web_server.staff_token("olga")  # demo staff: ada, olga, crew1, sam
        web_server.console_login(desktop_page, "olga")   # signs in at /staff/ through its form
        web_server.api("POST", "/api/v1/devices")        # (status, JSON) over plain HTTP
        web_server.push.received, web_server.twilio.messages   # what the fakes were sent

Fixtures: `web_server` (WebServer below), `browser` (one Chromium for the folder), `page` (a phone
page in a fresh context per test), `desktop_page` (1280x800), `new_page(kind, **context_options)`
for more pages or other options (a second resident, geolocation, offline…), `shot(page, name)`,
`axe(page, **options)`; `open_app(page, "#/mine", lang="es")` opens the resident app and waits
until its view is drawn (`app_ready(page)` after a navigation). `expect` is Playwright's; its default timeout here is EXPECT_SECONDS,
scaled like every ceiling (tests/processes.py: `wait_for` polls a condition outside the page). A failed test leaves its pages' screenshots in
var/screenshots/failed/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ENGINE
from tests.fakes.live_server import LiveServer
from tests.fakes.push_service import FakePushService
from tests.fakes.twilio_server import FakeTwilio
from tests.processes import CITY311, ROOT, ceiling, run

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("CITY311_CHROMIUM") or "/usr/bin/chromium")  # Debian's, by default
AXE_JS = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
DEMO_PASSWORD = "city311-demo"  # backend/demo.py
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
# Chromium as a test needs it: no GPU, no sandbox (root in CI), nothing fetched from outside
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXPECT_SECONDS = 10  # Playwright's expect() and actions: the most a condition is waited for
SERIOUS = ("serious", "critical")


# -- collection --------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Marks every test of this folder `browser` and `slow`; on PostgreSQL, deselects them."""
    mine = [item for item in items if HERE in Path(str(item.path)).parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.slow)
    if ENGINE != "sqlite" and mine:
        config.hook.pytest_deselected(items=mine)
        items[:] = [item for item in items if item not in set(mine)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        for number, page in enumerate(getattr(item, "_browser_pages", [])):
            try:
                name = f"failed/{re.sub(r'[^A-Za-z0-9_.-]+', '_', item.name)}-{number}"
                _screenshot(page, name)
            except Exception:  # noqa: BLE001 (a closed page: nothing to keep)
                pass
    return report


# -- the server --------------------------------------------------------------------------------


class WebServer:
    """The served app: `base` (http://127.0.0.1:PORT), `url(path)`, the fakes it sends to
    (`twilio`, `push`), its data directory and log, and helpers to call its API and sign in."""

    def __init__(
        self, base: str, data_dir: Path, log: Path, twilio: FakeTwilio, push: FakePushService
    ):
        self.base = base
        self.data_dir = data_dir
        self.log = log
        self.twilio = twilio
        self.push = push
        self._tokens: dict[str, str] = {}
        self._demo: dict[str, str] = {}

    def url(self, path: str = "/") -> str:
        return self.base + path

    def api(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """`method path` with a JSON body (or none); the status and the answer read as JSON (the
        text when it is not JSON). `token`: sent as a Bearer token (a device's or a staff one)."""
        sent = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if token:
            sent["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url(path), data=data, headers=sent, method=method)
        try:
            with urllib.request.urlopen(request, timeout=ceiling(30)) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def staff_token(self, username: str = "olga") -> str:
        """An access token of a demo staff account (ada admin, olga operator, crew1 department,
        sam supervisor), through POST /api/staff/v1/auth/login; kept for the run (15 minutes)."""
        if username not in self._tokens:
            status, answer = self.api(
                "POST",
                "/api/staff/v1/auth/login",
                {"username": username, "password": DEMO_PASSWORD},
            )
            assert status == 200, (status, answer)
            self._tokens[username] = answer["accessToken"]
        return self._tokens[username]

    def device_token(self) -> str:
        """A new resident device's token (POST /api/v1/devices), as the app registers one."""
        status, answer = self.api("POST", "/api/v1/devices")
        assert status in (200, 201), (status, answer)
        return answer["token"]

    def demo_request(self, status: str = "in_progress") -> str:
        """The tracking number of the newest demo request that was in `status` when the server
        started, before any test filed or changed one: the same request whatever tests ran first
        (a test that changes a request's status uses one of its own)."""
        if status not in self._demo:
            code, answer = self.api("GET", f"/api/v1/requests?status={status}&limit=1")
            assert code == 200 and answer["items"], (code, answer)
            self._demo[status] = answer["items"][0]["trackingNumber"]
        return self._demo[status]

    def console_login(self, page, username: str = "olga") -> None:
        """Signs `page` in to the console (/staff/) with a demo account, through its form."""
        page.goto("/staff/login")
        page.get_by_label(re.compile("user ?name", re.IGNORECASE)).fill(username)
        page.get_by_label(re.compile("password", re.IGNORECASE)).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=re.compile("sign in|log in", re.IGNORECASE)).click()
        page.wait_for_url(re.compile(r"/staff/(?!login)"))

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _setup_database(env: dict[str, str]) -> None:
    for args in (("migrate",), ("seed", "--demo")):
        done = run([*CITY311, *args], env=env, capture_output=True, timeout=300)
        assert done.returncode == 0, (args, done.stderr.decode(errors="replace")[-3000:])


@pytest.fixture(scope="package", autouse=True)
def _no_old_failures() -> None:
    """The failures' screenshots of an earlier run are gone before this one starts."""
    shutil.rmtree(SCREENSHOTS / "failed", ignore_errors=True)


@pytest.fixture(scope="package")
def web_server() -> Iterator[WebServer]:
    """`city311 serve` on a free port over a new SQLite (migrated, `seed --demo`), running the
    jobs (the outbox is dispatched every 0.2 s), no quiet hours, no rate limits; SMS to the fake
    Twilio, Web Push accepted to the fake push service. One for the whole folder."""
    data_dir = Path(tempfile.mkdtemp(prefix="city311-browser-"))
    log = data_dir / "server.log"
    with FakeTwilio() as twilio, FakePushService() as push:
        env = {
            "CITY311_DATA_DIR": str(data_dir),
            "DATABASE_URL": "",  # the embedded SQLite, whichever run this is
            "REDIS_URL": "",
            "CITY311_SCHEDULER": "on",
            "CITY311_DISPATCH_SECONDS": "0.2",
            "CITY311_QUIET_HOURS": "",
            "CITY311_RATE_LIMITS": "off",
            "CITY311_PUSH_ORIGINS": push.origin,
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+13125550000",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "CITY311_SMS_PER_SECOND": "off",
        }
        _setup_database({**os.environ, **env})
        server = LiveServer(env, own_base_url=True, log=log)
        try:
            web = WebServer(server.base, data_dir, log, twilio, push)
            for status in ("open", "in_progress", "completed"):
                web.demo_request(status)  # chosen now, before any test files or changes one
            yield web
        finally:
            server.stop()
            shutil.rmtree(data_dir, ignore_errors=True)


# -- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium (Debian's) for the folder; each test gets fresh contexts (a fresh
    profile: Playwright starts Chromium with a new user-data-dir of its own)."""
    if not CHROMIUM.exists():
        if os.environ.get("CITY311_SKIP_BROWSER") == "1":
            pytest.skip("CITY311_SKIP_BROWSER=1 and no /usr/bin/chromium")
        pytest.fail(
            f"{CHROMIUM} is missing: `make browser` installs it (or CITY311_SKIP_BROWSER=1)"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ceiling(EXPECT_SECONDS) * 1000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            timeout=ceiling(60) * 1000,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(request, browser, web_server) -> Iterator[Callable[..., Any]]:
    """`new_page("phone" | "desktop", **context_options)`: a page in a new context on the server
    (relative URLs are the server's; Chicago's time zone, English unless `locale=` says); the
    contexts are closed after the test."""
    contexts = []
    pages = request.node._browser_pages = []

    def make(kind: str = "phone", **options: Any):
        size = {"phone": PHONE, "desktop": DESKTOP}[kind]
        context = browser.new_context(
            **{
                "base_url": web_server.base,
                "locale": "en-US",
                "timezone_id": "America/Chicago",
                **size,
                **options,
            }
        )
        context.set_default_timeout(ceiling(EXPECT_SECONDS) * 1000)
        context.set_default_navigation_timeout(ceiling(30) * 1000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:  # noqa: BLE001 (the browser went first)
            pass


@pytest.fixture
def page(new_page):
    """A phone-sized page (390x844, touch) in a fresh context."""
    return new_page("phone")


@pytest.fixture
def desktop_page(new_page):
    """A desktop-sized page (1280x800) in a fresh context."""
    return new_page("desktop")


# -- the resident app -----------------------------------------------------------------------------

LANGUAGE_KEY = "city311.lang"  # where js/i18n.js keeps the resident's language
APP_DRAWN = """() => {
  const main = document.getElementById('main');
  return !!main && !main.hasAttribute('aria-busy') && !main.querySelector('.loading')
    && main.children.length > 0;
}"""


def app_ready(page) -> None:
    """Until the resident app has drawn its view: #main filled, no longer busy or loading."""
    page.wait_for_function(APP_DRAWN)


def open_app(page, route: str = "", *, lang: str | None = None) -> None:
    """Opens the resident app at `route` ("#/report", "#/r/SR26-…"; "" is the home) in `lang`
    (en, es, pl, zh: kept as the app keeps it, before the page runs), once its view is drawn."""
    if lang is not None:
        page.add_init_script(f"localStorage.setItem({LANGUAGE_KEY!r}, {lang!r})")
    page.goto("/" + route)
    app_ready(page)


# The pages of both clients, for the screenshots and the accessibility checks. A page whose code is
# not in the tree yet is skipped, saying so; once its file exists it is checked like the rest.
VIEWS = ROOT / "backend" / "channels" / "webapp" / "static" / "js" / "views"
CONSOLE = ROOT / "backend" / "channels" / "console" / "router.py"
APP_PAGES = [  # (view module, route): the app's navigation, and a request's page
    ("report", "#/report"),
    ("mine", "#/mine"),
    ("request", "#/r/{tracking}"),
    ("map", "#/map"),
    ("info", "#/info"),
    ("where", "#/where"),
    ("police", "#/police"),
    ("settings", "#/settings"),
]
LANGUAGES = ("en", "es", "pl", "zh")


def app_pages() -> list:
    """APP_PAGES as pytest parameters (view, route), skipped while the view's module is missing."""
    return [
        pytest.param(
            view,
            route,
            id=view,
            marks=pytest.mark.skipif(
                not (VIEWS / f"{view}.js").exists(), reason=f"js/views/{view}.js not written yet"
            ),
        )
        for view, route in APP_PAGES
    ]


def app_route(route: str, web_server: WebServer) -> str:
    return route.format(tracking=web_server.demo_request()) if "{" in route else route


needs_console = pytest.mark.skipif(not CONSOLE.exists(), reason="the console is not written yet")


def console_pages(page, web_server: WebServer, username: str = "ada") -> list[str]:
    """The console's pages a member sees: /staff/ and every page its navigation links to,
    signed in on `page` as `username` (ada, an admin, sees them all)."""
    web_server.console_login(page, username)
    links = page.locator("header nav a[href^='/staff/']").evaluate_all(
        "(links) => links.map((a) => new URL(a.href).pathname)"
    )
    return list(dict.fromkeys(["/staff/", *links]))


def page_name(path: str) -> str:
    """/staff/queues/cdot -> queues-cdot; /staff/ -> home."""
    return re.sub(r"[^a-z0-9]+", "-", path.removeprefix("/staff").lower()).strip("-") or "home"


# -- screenshots and accessibility ----------------------------------------------------------------


def _screenshot(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    return path


@pytest.fixture
def shot() -> Callable[..., Path]:
    """`shot(page, name)`: the page as shown, into var/screenshots/<name>.png (its path)."""
    return _screenshot


AXE_SOURCE: list[str] = []


def run_axe(page, **options: Any) -> list[dict]:
    """axe-core's violations on the page as it is now (each: id, impact, help, nodes…). `options`
    are axe.run's (e.g. runOnly=["wcag2a", "wcag2aa"]). The script is evaluated through DevTools,
    so the page's Content-Security-Policy does not stop it."""
    if not AXE_SOURCE:
        AXE_SOURCE.append(AXE_JS.read_text())
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE[0] + "\n;undefined")
    return page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", options
    )


@pytest.fixture
def axe() -> Callable[..., list[dict]]:
    """`axe(page, **options)`: axe-core's violations on the page (see `run_axe`)."""
    return run_axe


def serious(violations: list[dict]) -> list[dict]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations if v.get("impact") in SERIOUS]


def describe(violations: list[dict]) -> str:
    """Violations as a readable assertion message: the rule, its impact and the elements."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} — {v.get('helpUrl', '')}")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)
