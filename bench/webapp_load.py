"""How soon the resident app at `/` is usable on a throttled mid-range phone (issue 20's budget:
interactive in under 2 s), measured in Debian's Chromium against a running server:

    make run                                          # in another terminal (or any server)
    .venv/bin/python bench/webapp_load.py             # http://127.0.0.1:8000, 7 runs
    .venv/bin/python bench/webapp_load.py --base-url http://127.0.0.1:8123 --runs 11 --route '#/info'

The phone is Lighthouse's mobile profile, as Chrome DevTools applies it: the CPU slowed 4x
(`Emulation.setCPUThrottlingRate`), and "Slow 4G" (`Network.emulateNetworkConditions`: 562.5 ms
round trip, 1.44 Mbit/s down, 675 kbit/s up), on a 390x844 touch screen. Each run is a first visit:
a new browser context (empty cache, no service worker yet), then a repeat visit in the same
context (the service worker's cache). For each visit:

  fcp          first contentful paint (the browser's paint timing)
  drawn        the app's view drawn: #main filled, no longer busy (js/main.js's router)
  interactive  `drawn`, or the end of the last long task (> 50 ms of script) before a second
               without one, whichever is later: when a tap is answered at once (Lighthouse's
               time to interactive, simplified: our page has no other network quiet to wait for)
  transferred  bytes over the network, headers included (Resource Timing)

Medians over the runs are printed with the minimum and maximum, and the raw runs are written to
bench/results/webapp_load.json. On a busy machine the CPU throttle multiplies the machine's own
slowness too: read the load average printed beside the figures (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "webapp_load.json"
CHROMIUM = os.environ.get("CITY311_CHROMIUM") or "/usr/bin/chromium"  # Debian's (make browser)
CHROMIUM_ARGS = [  # as tests/browser/conftest.py launches it
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-US",
    "timezone_id": "America/Chicago",
}
CPU_SLOWDOWN = 4
# DevTools' "Slow 4G", Lighthouse's mobile throttling: 150 ms RTT, 1.6 Mbit/s down and 750 kbit/s
# up, the latency multiplied by 3.75 and the throughputs by 0.9 as DevTools applies them
SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1_000_000 / 8 * 0.9,
    "uploadThroughput": 750 * 1_000 / 8 * 0.9,
}
TARGET_MS = 2000
QUIET_MS = 1000  # no long task for this long after the view is drawn: interactive
LIMIT_S = 60  # the most one visit is waited for

# Before the page's own scripts: note long tasks and the moment the app's view is drawn.
RECORDER = """
window.__bench = { longtasks: [], drawn: null };
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
} catch (err) {}
const __drawn = () => {
  const main = document.getElementById('main');
  if (window.__bench.drawn === null && main && !main.hasAttribute('aria-busy')
      && !main.querySelector('.loading') && main.children.length > 0) {
    window.__bench.drawn = performance.now();
  }
};
new MutationObserver(__drawn).observe(document, { subtree: true, childList: true, attributes: true });
"""
FIGURES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const entries = [nav, ...performance.getEntriesByType('resource')];
  const b = window.__bench;
  const ends = b.longtasks.map(([start, duration]) => start + duration);
  return {
    fcp: fcp ? fcp.startTime : null,
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    drawn: b.drawn,
    interactive: Math.max(b.drawn, ...ends),
    longtasks: b.longtasks.length,
    transferred: entries.reduce((sum, e) => sum + e.transferSize, 0),
    responses: entries.length,
    controlled: !!navigator.serviceWorker && !!navigator.serviceWorker.controller,
  };
}"""
QUIET = """(quiet) => {
  const b = window.__bench;
  if (b.drawn === null) return false;
  const ends = b.longtasks.map(([start, duration]) => start + duration);
  const last = Math.max(b.drawn, ...ends);
  return performance.now() - last >= quiet;
}"""


def visit(page, url: str) -> dict:
    """One navigation to `url`, its figures once the view is drawn and the main thread is quiet."""
    page.goto(url, wait_until="load", timeout=LIMIT_S * 1000)
    page.wait_for_function(QUIET, arg=QUIET_MS, timeout=LIMIT_S * 1000, polling=100)
    return page.evaluate(FIGURES)


def throttled(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return cdp


def one_run(browser, url: str) -> dict[str, dict]:
    context = browser.new_context(**PHONE)
    try:
        context.add_init_script(RECORDER)
        page = context.new_page()
        throttled(context, page)
        first = visit(page, url)
        # the repeat visit: the service worker installed by the first one now serves the shell
        page.wait_for_function(
            "() => navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)",
            timeout=LIMIT_S * 1000,
        )
        repeat = visit(page, url)
        return {"first": first, "repeat": repeat}
    finally:
        context.close()


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ms ({min(values):,.0f}–{max(values):,.0f})"


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--route", default="", help="the app's route, e.g. '#/info' (default: home)"
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    url = args.base_url.rstrip("/") + "/" + args.route
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        version = browser.version
        try:
            one_run(browser, url)  # a warm-up: the server's and Chromium's first use, not kept
            for number in range(args.runs):
                t0 = time.monotonic()
                runs.append(one_run(browser, url))
                first = runs[-1]["first"]
                print(
                    f"run {number + 1}/{args.runs}: interactive {first['interactive']:,.0f} ms, "
                    f"repeat {runs[-1]['repeat']['interactive']:,.0f} ms "
                    f"({time.monotonic() - t0:.1f} s)",
                    file=sys.stderr,
                )
        finally:
            browser.close()
    load_after = os.getloadavg()
    report = {
        "url": url,
        "started": started.isoformat(timespec="seconds"),
        "chromium": version,
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
        "cpu_slowdown": CPU_SLOWDOWN,
        "network": SLOW_4G,
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")

    print(f"\n{url} — {started:%Y-%m-%d %H:%M} UTC, Chromium {version}, {args.runs} runs")
    print(f"machine: {report['machine']['cpu']} ({report['machine']['cores']} cores)")
    print(f"load average: {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"phone: CPU {CPU_SLOWDOWN}x slower, Slow 4G (562.5 ms RTT, 1.44 Mbit/s down)\n")
    print("| visit | first contentful paint | view drawn | interactive | transferred |")
    print("| --- | --- | --- | --- | --- |")
    verdicts = []
    for visit_name in ("first", "repeat"):
        rows = [run[visit_name] for run in runs]
        interactive = statistics.median(r["interactive"] for r in rows)
        verdicts.append(interactive < TARGET_MS)
        fcp = [r["fcp"] for r in rows if r["fcp"] is not None]
        print(
            f"| {visit_name} | {summary(fcp) if fcp else '—'} | "
            f"{summary([r['drawn'] for r in rows])} | "
            f"{summary([r['interactive'] for r in rows])} | "
            f"{statistics.median(r['transferred'] for r in rows):,.0f} B |"
        )
    verdict = "PASS" if verdicts[0] else "FAIL"
    print(f"\nfirst visit interactive (median) < {TARGET_MS:,} ms: {verdict}")
    return 0 if verdicts[0] else 1


if __name__ == "__main__":
    raise SystemExit(main())
