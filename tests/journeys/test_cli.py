"""The ``journeys`` command through its real entry point, on real SQLite files."""

import json

import pytest

from journeys.domain.schemas import dump_document, load_document


def test_import_prints_the_id_and_export_gives_back_the_document(journeys_cli, database_url,
                                                                 sample_path, tmp_path):
    result = journeys_cli("import", sample_path)
    assert result.code == 0, result.err
    journey_id = result.out.strip()
    assert journey_id.isdigit()

    exported = journeys_cli("export", journey_id, "-o", "-")
    assert exported.code == 0, exported.err
    assert exported.stdout == dump_document(load_document(sample_path.read_bytes()))
    original = json.loads(sample_path.read_bytes())
    doc = json.loads(exported.stdout)
    assert [s["id"] for s in doc["steps"]] == [s["id"] for s in original["steps"]]


def test_export_defaults_to_the_exports_folder(journeys_cli, database_url, samples_dir, tmp_path):
    journey_id = journeys_cli("import", samples_dir / "register-a-birth.json").out.strip()
    result = journeys_cli("export", journey_id)
    assert result.code == 0, result.err
    target = tmp_path / "exports" / "register-a-birth.json"
    assert json.loads(target.read_bytes())["title"] == "Register a birth"
    assert "exports/register-a-birth.json" in result.err


def test_first_command_creates_a_new_database(journeys_cli, tmp_path, samples_dir):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'new' / 'fresh.sqlite'}"}
    result = journeys_cli("import", samples_dir / "register-a-birth.json", env=env)
    assert result.code == 0, result.err
    listing = journeys_cli("list", "--json", env=env)
    assert [j["title"] for j in json.loads(listing.stdout)] == ["Register a birth"]


def test_import_into_a_named_team(journeys_cli, database_url, samples_dir):
    journeys_cli("import", samples_dir / "register-a-birth.json", "--team", "Registrars")
    rows = json.loads(journeys_cli("list", "--json").stdout)
    assert rows[0]["team"] == "Registrars"
    assert rows[0]["steps"] == 6


def test_invalid_file_exits_2_and_stores_nothing(journeys_cli, database_url, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "format": "citizen-journey/1", "title": "Broken",
        "stages": [{"id": "a", "name": "A"}],
        "steps": [{"id": "s1", "stage": "asses", "title": "T", "level": 7}],
    }))
    result = journeys_cli("import", bad)
    assert result.code == 2
    assert "steps[0].stage" in result.err and "steps[0].level" in result.err
    assert "Traceback" not in result.err
    assert json.loads(journeys_cli("list", "--json").stdout) == []


@pytest.mark.parametrize("content, expected", [
    (b'{"format": "citizen-journey/1",\n "title": }', "line 2"),
    (b"[" * 50_000, "deeper than 16"),
    (b" " * 5_000_001, "5,000,000 bytes"),
])
def test_hostile_files_get_a_message_not_a_traceback(journeys_cli, database_url, tmp_path,
                                                      content, expected):
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    result = journeys_cli("import", path)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.err


def test_missing_file_and_unknown_id(journeys_cli, database_url):
    assert journeys_cli("import", "nope.json").code == 2
    result = journeys_cli("export", "999")
    assert result.code == 2
    assert "journey 999 does not exist" in result.err


def test_check_exit_codes(journeys_cli, database_url, samples_dir, tmp_path):
    sample = samples_dir / "register-a-birth.json"
    failing = journeys_cli("check", sample)
    assert failing.code == 1
    assert "Reads what to bring (read-guidance)\n      ACC-06 fail" in failing.out
    assert "L1 Core promise" in failing.out

    doc = json.loads(sample.read_bytes())
    for step in doc["steps"]:
        step["checks"] = {k: v for k, v in step.get("checks", {}).items()
                          if v not in ("fail", "partial")}
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(doc))
    assert journeys_cli("check", clean).code == 0

    clean.write_text('{"format": "citizen-journey/2"}')
    invalid = journeys_cli("check", clean)
    assert invalid.code == 2
    assert "citizen-journey/1" in invalid.err


def test_check_a_stored_journey(journeys_cli, database_url, samples_dir):
    journey_id = journeys_cli("import", samples_dir / "report-a-road-defect.json").out.strip()
    result = journeys_cli("check", journey_id)
    assert result.code == 1
    assert result.out.startswith("Report a road defect: valid citizen-journey/1")


def test_demo_and_list(journeys_cli, database_url):
    first = journeys_cli("demo")
    second = journeys_cli("demo")
    assert first.code == second.code == 0
    assert first.out == second.out  # the same ids: nothing loaded twice
    titles = [j["title"] for j in json.loads(journeys_cli("list", "--json").stdout)]
    assert sorted(titles) == ["Apply for a disabled parking permit", "Register a birth",
                              "Report a road defect"]
    assert journeys_cli("list").out.count("Demo team") == 3


def test_votes_beyond_a_database_integer_are_refused_with_their_path(journeys_cli, database_url,
                                                                     samples_dir, tmp_path):
    doc = json.loads((samples_dir / "register-a-birth.json").read_bytes())
    doc["steps"][1]["pain_points"][0]["votes"] = 2**63
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(doc))
    result = journeys_cli("import", path)
    assert result.code == 2
    assert "steps[1].pain_points[0].votes" in result.err
    assert "Traceback" not in result.err
    assert json.loads(journeys_cli("list", "--json").stdout) == []


@pytest.mark.parametrize("today", ["20261124", "2026-W48-2", "2026-02-30", "yesterday"])
def test_propose_takes_only_real_yyyy_mm_dd_dates(journeys_cli, samples_dir, today):
    result = journeys_cli("propose", samples_dir / "register-a-birth.json", "--today", today)
    assert result.code == 2
    assert "--today" in result.err and "YYYY-MM-DD" in result.err


def test_control_characters_in_user_text_never_reach_the_terminal(journeys_cli, samples_dir,
                                                                  tmp_path):
    doc = json.loads((samples_dir / "register-a-birth.json").read_bytes())
    doc["steps"][1]["checks"]["ACC-06"] = {"result": "fail",
                                           "note": "\x1b]0;pwned\x07 hidden\roverwritten"}
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(doc))
    out = journeys_cli("check", path).out
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "\ufffd]0;pwned\ufffd hidden\ufffdoverwritten" in out


def test_an_output_that_cannot_be_written_is_a_clear_error(journeys_cli, samples_dir, tmp_path):
    sample = samples_dir / "register-a-birth.json"
    missing = journeys_cli("render", sample, "-o", "no/such/folder/birth.svg")
    assert missing.code == 2
    assert "-o no/such/folder/birth.svg: cannot write the file" in missing.err
    assert not (tmp_path / "no").exists()
    (tmp_path / "taken.svg").mkdir()
    assert journeys_cli("render", sample, "-o", "taken.svg").code == 2


def test_an_extension_the_command_cannot_write_is_refused(journeys_cli, samples_dir, tmp_path):
    result = journeys_cli("render", samples_dir / "register-a-birth.json", "-o", "birth.json")
    assert result.code == 2
    assert "this command cannot write json" in result.err
    assert not (tmp_path / "birth.json").exists()


def test_check_takes_several_journeys_and_exits_with_the_worst(journeys_cli, samples_dir,
                                                               tmp_path):
    birth = samples_dir / "register-a-birth.json"
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "citizen-journey/1"}')
    both = journeys_cli("check", birth, samples_dir / "report-a-road-defect.json")
    assert both.code == 1
    assert both.out.count("valid citizen-journey/1") == 2
    assert f"== {birth}" in both.out
    with_broken = journeys_cli("check", broken, birth)
    assert with_broken.code == 2
    assert "broken.json is not a valid journey document" in with_broken.err
    assert "Register a birth: valid" in with_broken.out  # the others are still checked
