"""What is read from a journey: its check summary, the designer's proposals, its renders."""

import json
import re

import pytest

from tests.journeys.api.test_basics import assert_error


def test_the_check_summary_is_what_journeys_check_prints(client, world, journeys_cli,
                                                         database_url):
    response = client.get(f"/api/v1/journeys/{world.journey}/checks",
                          headers=world.auth("viewer"))
    assert response.status_code == 200
    body = response.get_json()
    printed = journeys_cli("check", world.journey)
    assert body["text"] == printed.out
    assert sum(body["levels"].values()) == len(
        client.get(f"/api/v1/journeys/{world.journey}", headers=world.auth("viewer"))
        .get_json()["steps"])
    assert [c["catalogue"] for c in body["coverage"]] == ["ACC", "TRA"]
    fails, partials = re.search(r"Failed checks: (\d+) fail, (\d+) partial", printed.out).groups()
    results = [f["result"] for f in body["failed"]]
    assert (results.count("fail"), results.count("partial")) == (int(fails), int(partials))


def test_proposals_are_the_designers_document(client, world, journeys_cli):
    url = f"/api/v1/journeys/{world.journey}/proposals?today=2026-06-01&review_months=6"
    response = client.get(url, headers=world.auth("viewer"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["format"] == "citizen-journey-proposals/1"
    assert body["evaluated_on"] == "2026-06-01"
    cli = journeys_cli("propose", world.journey, "--format", "json", "--today", "2026-06-01",
                       "--review-months", "6")
    assert body == json.loads(cli.out)


@pytest.mark.parametrize(("query", "path"), [
    ("review_months=0", "review_months"), ("review_months=many", "review_months"),
    ("today=2026-02-30", "today"), ("today=tomorrow", "today"), ("review_month=3", "review_month"),
])
def test_proposal_parameters_out_of_range_are_422_naming_them(client, world, query, path):
    body = assert_error(client.get(f"/api/v1/journeys/{world.journey}/proposals?{query}",
                                   headers=world.auth("viewer")), 422)
    assert [e["path"] for e in body["errors"]] == [path]


@pytest.mark.parametrize(("fmt", "media_type", "start"), [
    ("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG"),
    ("pdf", "application/pdf", b"%PDF"), ("mermaid", "text/plain", b"journey"),
    ("md", "text/markdown", b"# "), ("csv", "text/csv", b""),
])
def test_renders_have_their_content_types(client, world, fmt, media_type, start):
    response = client.get(f"/api/v1/journeys/{world.journey}/renders/{fmt}",
                          headers=world.auth("viewer"))
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.data.startswith(start) and response.data
    assert response.headers["ETag"] == '"1"'


def test_a_render_is_what_journeys_export_writes(client, world, journeys_cli):
    response = client.get(f"/api/v1/journeys/{world.journey}/renders/md",
                          headers=world.auth("viewer"))
    assert response.data == journeys_cli("export", world.journey, "--format", "md",
                                         "-o", "-").stdout


def test_an_unknown_render_format_is_404(client, world):
    assert_error(client.get(f"/api/v1/journeys/{world.journey}/renders/docx",
                            headers=world.auth("viewer")), 404)


def test_a_render_without_graphviz_is_503_not_500(client, world, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    response = client.get(f"/api/v1/journeys/{world.journey}/renders/svg",
                          headers=world.auth("viewer"))
    body = assert_error(response, 503)
    assert "dot" in body["message"] or "Graphviz" in body["message"]
