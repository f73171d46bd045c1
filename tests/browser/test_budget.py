"""The resident app's weight budget: a first visit to `/` (an empty cache, a new profile) transfers
under 200 KB, compressed as served, before any photo, counted by the browser's own Resource Timing
(headers included, as DevTools' "transferred" and Lighthouse count it) for the page itself: the
service worker's own fetches (its offline copy of the shell) are not the page's.

The size is the same on every run (no clock or load in it), so the test asserts it; how fast the
page becomes usable on a throttled phone is measured by bench/webapp_load.py instead."""

from __future__ import annotations

import re

from tests.browser.conftest import app_ready

BUDGET = 200_000  # bytes transferred before photos
PHOTO = re.compile(r"/api/v1/photos/")
TRANSFERS = """() => [
  ...performance.getEntriesByType('navigation'),
  ...performance.getEntriesByType('resource'),
].map((e) => ({
  url: e.name,
  kind: e.initiatorType,
  transfer: e.transferSize,
  body: e.encodedBodySize,
  decoded: e.decodedBodySize,
}))"""


def first_load(page) -> list[dict]:
    """Every response of a first visit to `/`, once the view is drawn and the network is idle."""
    page.goto("/")
    app_ready(page)
    page.wait_for_load_state("networkidle")
    return page.evaluate(TRANSFERS)


def table(entries: list[dict]) -> str:
    rows = [
        f"{e['transfer']:>8,} B  {e['decoded']:>8,} B decoded  {e['kind']:<10} {e['url']}"
        for e in sorted(entries, key=lambda e: -e["transfer"])
    ]
    return "\n".join(rows)


def test_the_first_load_of_the_app_stays_under_200_kb(new_page, web_server):
    # the service worker is kept out: once it controls the page (it claims it on activation), what
    # it answers from its cache shows 0 bytes, depending on how soon it was installed
    entries = first_load(new_page("phone", service_workers="block"))
    counted = [e for e in entries if not PHOTO.search(e["url"])]
    total = sum(e["transfer"] for e in counted)
    print(f"\nfirst load of /: {total:,} bytes transferred in {len(counted)} responses")
    print(table(counted))
    # the page, its stylesheet, its start module and the home's view all came over the network
    urls = [e["url"] for e in counted]
    assert urls[0] == web_server.url("/"), urls
    assert any(u.endswith("/app/js/main.js") for u in urls), urls
    assert any(u.endswith("/app/css/app.css") for u in urls), urls
    assert all(e["transfer"] > 0 for e in counted), table(counted)  # nothing from a cache
    assert total < BUDGET, f"{total:,} bytes > {BUDGET:,}:\n{table(counted)}"


def test_each_view_is_loaded_only_when_it_is_opened(new_page, web_server):
    # the budget holds because the views are modules loaded on demand: the home loads its own
    # view, not the seven others
    entries = first_load(new_page("phone", service_workers="block"))
    views = {m[1] for e in entries if (m := re.search(r"/app/js/views/(\w+)\.js", e["url"]))}
    assert len(views) <= 1, views


def test_the_service_workers_offline_copy_is_measured_apart(new_page, web_server):
    # a first visit also installs the service worker, which downloads the shell once more for
    # offline use: counted here (printed beside the page's bytes; docs/benchmarks.md), no photo
    page = new_page("phone")
    fetched: list = []

    def finished(request) -> None:
        if request.service_worker:
            fetched.append(request)

    page.context.on("requestfinished", finished)
    page.goto("/")
    app_ready(page)
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    sizes = [
        (r.url, (s := r.sizes())["responseBodySize"] + s["responseHeadersSize"]) for r in fetched
    ]
    total = sum(size for _, size in sizes)
    print(f"\nthe service worker's install: {total:,} bytes in {len(sizes)} responses")
    for url, size in sorted(sizes, key=lambda item: -item[1]):
        print(f"{size:>8,} B  {url}")
    assert any(url.endswith("/app/js/main.js") for url, _ in sizes), sizes  # it did fetch the shell
    assert not any(PHOTO.search(url) for url, _ in sizes), sizes
