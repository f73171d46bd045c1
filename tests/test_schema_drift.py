"""The schema exists only through migrations, and the committed OpenAPI documents match the code."""

from __future__ import annotations

from piccolo.apps.migrations.commands.new import AutoMigrationManager

from backend.cli import OPENAPI_DIR, openapi_documents
from backend.piccolo_app import APP_CONFIG


async def test_every_table_change_has_a_migration():
    statements = await AutoMigrationManager().get_alter_statements(app_config=APP_CONFIG)
    pending = [s for group in statements for s in group.statements]
    assert pending == [], (
        "tables differ from the migrations; run "
        "`.venv/bin/piccolo migrations new city311 --auto` and commit the file:\n"
        + "\n".join(pending)
    )


def test_committed_openapi_matches_the_code():
    for name, text in openapi_documents().items():
        committed = (OPENAPI_DIR / name).read_text()
        assert committed == text, f"openapi/{name} is stale: run `make openapi` and commit it"


def test_openapi_documents_the_submit_body_both_ways():
    import json

    doc = json.loads(openapi_documents()["app-api.json"])
    assert doc["openapi"].startswith("3.1")
    body = doc["paths"]["/api/v1/requests"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert "serviceCode" in body["application/json"]["schema"]["properties"]
