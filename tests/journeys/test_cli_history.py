"""History from the command line: replace with --into, list revisions, export and restore an
earlier one, delete and undelete; on real SQLite files through the installed command."""

import json

import pytest

from journeys.domain.schemas import dump_document, load_document


@pytest.fixture
def canonical(samples_dir, tmp_path):
    """The two samples as the documents an export writes (journeys kept in git look so)."""
    out = {}
    for name in ("register-a-birth", "report-a-road-defect"):
        path = tmp_path / f"{name}.json"
        path.write_bytes(dump_document(load_document((samples_dir / f"{name}.json")
                                                     .read_bytes())))
        out[name] = path
    return out


def test_import_replace_history_and_export_revision_1_byte_for_byte(journeys_cli,
                                                                     database_url, canonical):
    first, second = canonical["register-a-birth"], canonical["report-a-road-defect"]
    journey_id = journeys_cli("import", first).out.strip()
    replaced = journeys_cli("import", second, "--into", journey_id)
    assert replaced.code == 0, replaced.err
    assert replaced.out.strip() == "2"

    history = journeys_cli("history", journey_id)
    assert history.code == 0, history.err
    lines = history.out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2", "1"]
    assert lines[0].split("\t")[2] == "command line"
    assert lines[0].split("\t")[3].startswith("replaced the whole journey")
    assert lines[1].endswith("\timported")

    old = journeys_cli("export", journey_id, "--revision", "1", "-o", "-")
    assert old.code == 0, old.err
    assert old.stdout == first.read_bytes()
    assert journeys_cli("export", journey_id, "-o", "-").stdout == second.read_bytes()


def test_a_stale_expect_version_exits_2_naming_the_current_one(journeys_cli, database_url,
                                                               canonical):
    doc = canonical["register-a-birth"]
    journey_id = journeys_cli("import", doc).out.strip()
    assert journeys_cli("import", doc, "--into", journey_id, "--expect-version", "1").code == 0
    stale = journeys_cli("import", doc, "--into", journey_id, "--expect-version", "1")
    assert stale.code == 2
    assert "now at version 2" in stale.err
    assert "Traceback" not in stale.err
    assert [line.split("\t")[0] for line in journeys_cli("history", journey_id)
            .out.splitlines()] == ["2", "1"]


def test_restore_is_a_new_revision(journeys_cli, database_url, canonical):
    first, second = canonical["register-a-birth"], canonical["report-a-road-defect"]
    journey_id = journeys_cli("import", first).out.strip()
    journeys_cli("import", second, "--into", journey_id)
    restored = journeys_cli("restore", journey_id, "--revision", "1")
    assert restored.code == 0, restored.err
    assert restored.out.strip() == "3"
    assert journeys_cli("export", journey_id, "-o", "-").stdout == first.read_bytes()
    data = json.loads(journeys_cli("history", journey_id, "--json").stdout)
    assert [r["number"] for r in data] == [3, 2, 1]
    assert data[0]["summary"] == "restored revision 1"
    assert data[0]["actor"] == "command line"
    assert data[0]["created_at"].endswith("+00:00")


def test_delete_and_undelete(journeys_cli, database_url, canonical):
    journey_id = journeys_cli("import", canonical["register-a-birth"]).out.strip()
    deleted = journeys_cli("delete", journey_id)
    assert deleted.code == 0, deleted.err
    assert "undelete" in deleted.err
    assert json.loads(journeys_cli("list", "--json").stdout) == []
    assert journeys_cli("export", journey_id, "-o", "-").code == 2
    listed = json.loads(journeys_cli("list", "--json", "--deleted").stdout)
    assert [j["id"] for j in listed] == [int(journey_id)]
    assert journeys_cli("undelete", journey_id).code == 0
    assert [j["id"] for j in json.loads(journeys_cli("list", "--json").stdout)] == \
        [int(journey_id)]
    again = journeys_cli("undelete", journey_id)
    assert again.code == 2 and "no deleted journey" in again.err


@pytest.mark.parametrize("args", [
    ("history", "99"), ("export", "99", "--revision", "1"), ("restore", "99", "--revision", "1"),
    ("delete", "99"), ("undelete", "99"), ("history", "99999999999999999999"),
])
def test_unknown_journeys_exit_2_with_one_line(journeys_cli, database_url, args):
    result = journeys_cli(*args)
    assert result.code == 2
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_unknown_revision_exits_2(journeys_cli, database_url, canonical):
    journey_id = journeys_cli("import", canonical["register-a-birth"]).out.strip()
    for revision in ("0", "2"):
        result = journeys_cli("export", journey_id, "--revision", revision, "-o", "-")
        assert result.code == 2 and "revisions are 1 to 1" in result.err


def test_into_refuses_team_and_expect_version_needs_into(journeys_cli, database_url,
                                                         canonical):
    doc = canonical["register-a-birth"]
    journey_id = journeys_cli("import", doc).out.strip()
    assert journeys_cli("import", doc, "--into", journey_id, "--team", "X").code == 2
    assert journeys_cli("import", doc, "--expect-version", "1").code == 2


def test_history_shows_user_text_on_one_visible_line(journeys_cli, database_url, session,
                                                     canonical):
    from journeys.store import services as store

    journey_id = int(journeys_cli("import", canonical["register-a-birth"]).out.strip())
    step = store.load_journey(session=session, actor=store.SYSTEM,
                              journey_id=journey_id).steps[0].id
    store.update_step(session=session, actor=store.SYSTEM, journey_id=journey_id,
                      step_id=step, changes={"title": "Line one\nline\ttwo"},
                      expected_version=1)
    lines = journeys_cli("history", str(journey_id)).out.splitlines()
    assert len(lines) == 2
    assert lines[0].count("\t") == 3 and "Line one" in lines[0]


def test_list_json_gives_versions_and_times_with_their_time_zone(journeys_cli, database_url,
                                                                 canonical):
    doc = canonical["register-a-birth"]
    journey_id = journeys_cli("import", doc).out.strip()
    journeys_cli("import", doc, "--into", journey_id)
    [listed] = json.loads(journeys_cli("list", "--json").stdout)
    assert listed["version"] == 2
    assert listed["updated_at"].endswith("+00:00")
    assert listed["deleted_at"] is None
