"""Information tables: an article per slug and language, and the audit of every edit."""

from __future__ import annotations

from piccolo.columns import JSON, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class InfoArticle(Table):
    """One article in one language (en, es, pl, zh): a row per (slug, language), unique by a
    raw index (migration 0028). `search_*` hold the words the full-text index reads
    (backend/info/words.py): an FTS5 table over them on SQLite, a weighted tsvector with a GIN
    index on PostgreSQL, both kept in step by the database itself."""

    id: Serial  # Piccolo's primary key, named for the type checker
    slug = Varchar(length=80, index=True)
    language = Varchar(length=8)
    title = Varchar(length=200)
    body = Text(default="")
    sms_answer = Varchar(length=320)  # at most two SMS segments with its link
    category = Varchar(length=60)
    keywords = Text(default="")  # what residents say, comma separated
    service_codes = JSON(default="[]")  # the request types it relates to (and offers to file)
    source_url = Varchar(length=500)
    checked_on = Date()
    valid_from = Date(null=True, default=None)  # seasonal or event items
    valid_until = Date(null=True, default=None)
    search_title = Text(default="")
    search_keywords = Text(default="")
    search_body = Text(default="")
    updated_at = Timestamptz()


class InfoEdit(Table):
    """Append-only audit of article edits: who, which article, and each changed field's old and
    new value."""

    id: Serial  # Piccolo's primary key, named for the type checker
    article = Integer(index=True)  # info_article.id (articles are never deleted)
    slug = Varchar(length=80)
    language = Varchar(length=8)
    action = Varchar(length=12)  # created, updated, imported
    actor = Varchar(length=60)  # staff:<id>, cli
    changes = JSON(default="{}")
    created_at = Timestamptz(index=True)
