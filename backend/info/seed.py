"""The information database's starting articles: the program articles written from the city's
public pages (data/articles.json, four languages), and one article for each active service type
from the 311 portal's own description of it (the catalog) with its portal link
(data/portal_request_links.csv). `city311 seed` and `city311 info import` load them."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

from backend.catalog.snapshot import Catalog
from backend.catalog.translate import service_name
from backend.city import CITY
from backend.notify.segments import MAX_SEGMENTS, segments

from .models import ArticleData, sms_text
from .service import InfoService

ARTICLES = CITY.files.info_articles
PORTAL_LINKS = CITY.files.portal_links
PORTAL = "https://311.chicago.gov/"
CHECKED_ON = date(2026, 12, 7)
# The short answer of a service type's article, after the city's description of it
REQUEST_IT = {
    "en": "To request it, text what and where, or use the link.",
    "es": "Solicítelo por texto: escriba qué pasa y la dirección, o use el enlace.",
    "pl": "Zgłoś to SMS-em: napisz, co się stało i gdzie, albo użyj linku.",
    "zh": "发短信说明问题和地址即可申请，或点链接。",
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def program_articles(path: Path = ARTICLES) -> list[ArticleData]:
    """Every language of every article in an import file (the format of data/articles.json)."""
    out = []
    for item in json.loads(path.read_text())["articles"]:
        for language in ("en", "es", "pl", "zh"):
            text = item.get(language)
            if not text:
                continue
            out.append(
                ArticleData(
                    slug=item["slug"],
                    language=language,
                    title=text["title"],
                    sms_answer=text["sms"],
                    body=text.get("body", ""),
                    keywords=text.get("keywords", []),
                    category=item["category"],
                    service_codes=item.get("codes", []),
                    source_url=item["url"],
                    checked_on=date.fromisoformat(item.get("checked_on", CHECKED_ON.isoformat())),
                    valid_from=date.fromisoformat(item["valid_from"])
                    if item.get("valid_from")
                    else None,
                    valid_until=date.fromisoformat(item["valid_until"])
                    if item.get("valid_until")
                    else None,
                )
            )
    return out


def _portal_links() -> dict[str, str]:
    with PORTAL_LINKS.open(newline="") as f:
        return {r["name"].lower(): r["url"] for r in csv.DictReader(f)}


def _short(description: str, url: str, tail: str) -> str:
    """As many of the description's sentences as fit two segments with `tail` and the link."""
    sentences = _SENTENCE.split(" ".join(description.split()))
    while sentences:
        answer = " ".join([*sentences, tail])
        if len(answer) <= 320 and segments(sms_text(answer, url)) <= MAX_SEGMENTS:
            return answer
        sentences.pop()
    return tail


def service_type_articles(catalog: Catalog) -> list[ArticleData]:
    """One article per active service type, in each language: its name, the portal's text."""
    links = _portal_links()
    out = []
    for t in catalog.types:
        if not t.active:
            continue
        url = links.get(t.name.lower(), PORTAL)
        for language in ("en", "es", "pl", "zh"):
            english = language == "en"
            name = service_name(language, t.code, t.name)
            out.append(
                ArticleData(
                    slug=f"request-{t.code.lower()}",
                    language=language,
                    title=name,
                    sms_answer=_short(t.description, url, REQUEST_IT["en"])
                    if english
                    else REQUEST_IT[language],
                    body=t.description if english else "",
                    keywords=list(t.keywords)[:40] if english else [name],
                    category=t.group,
                    service_codes=[t.code],
                    source_url=url,
                    checked_on=CHECKED_ON,
                )
            )
    return out


async def import_articles(
    info: InfoService, articles: list[ArticleData], actor: str
) -> dict[str, int]:
    """Creates or updates each article (an edit only where something changed); the counts."""
    counts = {"created": 0, "updated": 0, "same": 0}
    for article in articles:
        counts[await info.put(article, actor)] += 1
    return counts


async def load_info(info: InfoService, catalog: Catalog) -> dict[str, int]:
    """The starting articles: the program articles and one per active service type."""
    return await import_articles(info, program_articles() + service_type_articles(catalog), "seed")
