"""The ``journeys`` command through its real entry point, on real SQLite files."""

import json
import os
import subprocess

import pytest

from journeys.domain.schemas import dump_document, load_document
from tests.conftest import JOURNEYS_BIN


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


def test_line_breaks_and_bidi_controls_in_user_text_never_reach_the_terminal(journeys_cli,
                                                                            samples_dir,
                                                                            tmp_path):
    doc = json.loads((samples_dir / "register-a-birth.json").read_bytes())
    doc["steps"][1]["checks"]["ACC-06"] = {
        "result": "fail", "note": "\u202eevil\u202c hidden\roverwritten\nFailed checks: 0"}
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(doc))
    result = journeys_cli("check", path)
    assert result.code == 1
    assert "\u202e" not in result.out and "\r" not in result.out
    # The note stays on its line: it cannot forge a line of the summary.
    assert "(<U+202E>evil<U+202C> hidden overwritten Failed checks: 0)" in result.out
    assert len([line for line in result.out.splitlines()
                if line.startswith("Failed checks")]) == 1


def test_control_characters_are_refused_and_shown_as_escapes_on_stderr(journeys_cli,
                                                                       samples_dir, tmp_path):
    doc = json.loads((samples_dir / "register-a-birth.json").read_bytes())
    doc["steps"][1]["title"] = "Pays\x1b]0;pwned\x07"
    path = tmp_path / "bad\x1b[31mname.json"
    path.write_text(json.dumps(doc))
    result = journeys_cli("check", path.name)
    assert result.code == 2
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "bad<U+001B>[31mname.json is not a valid journey document" in result.err
    assert "steps[1].title: contains the control character U+001B at position 5" in result.err


def test_a_missing_file_named_with_escapes_is_shown_with_escapes(journeys_cli):
    result = journeys_cli("render", "no\x1b]0;title\x07such.json")
    assert result.code == 2
    assert "no<U+001B>]0;title<U+0007>such.json: cannot read the file" in result.err
    assert "\x1b" not in result.err


def test_a_usage_error_shows_escapes_too(journeys_cli):
    result = journeys_cli("export", "1", "--format", "s\x1bvg")
    assert result.code == 2
    assert "\x1b" not in result.err and "Invalid value for '--format'" in result.err


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


# --- ids, streams and settings: one clear line, exit 2, never a traceback ------------------


@pytest.mark.parametrize(("ref", "commands"), [
    ("²", ("export", "check", "propose")), ("١", ("export", "check", "propose")),
    ("१२", ("export", "check")), ("1²", ("check",)), ("-1", ("export",)), ("1.0", ("export",)),
])
def test_an_id_is_ascii_digits_only(journeys_cli, database_url, samples_dir, ref, commands):
    # Journey 1 exists: "١" (Arabic-Indic one) must not quietly mean it.
    assert journeys_cli("import", samples_dir / "register-a-birth.json").out == "1\n"
    for command in commands:
        result = journeys_cli(command, ref, *(["-o", "-"] if command == "export" else []))
        assert result.code == 2, (command, result.out)
        assert "Traceback" not in result.err
        assert result.stdout == b""
        if ref.isdigit() or ref.isdecimal():
            assert "an id is a whole number written with the digits 0–9" in result.err


@pytest.mark.parametrize("ref", ["9223372036854775808", "99999999999999999999999999",
                                 "1" + "0" * 400])
def test_an_id_too_large_for_the_database_is_a_clear_error(journeys_cli, database_url, ref):
    for command in (["export", ref], ["check", ref]):
        result = journeys_cli(*command)
        assert result.code == 2, command
        assert "no journey has an id this large" in result.err
        assert "Traceback" not in result.err
        assert len(result.err.splitlines()) <= 4


@pytest.mark.parametrize("command", [
    ["history", "١"], ["delete", "²"], ["undelete", "99999999999999999999"],
    ["restore", "1", "--revision", "١"], ["export", "1", "--revision", "99999999999999999999"],
    ["import", "x.json", "--into", "١"],
])
def test_every_id_revision_and_version_takes_ascii_digits_in_range(journeys_cli, database_url,
                                                                   command):
    result = journeys_cli(*command)
    assert result.code == 2, result.err
    assert "digits 0–9" in result.err or "this large" in result.err
    assert "Traceback" not in result.err


def test_the_largest_id_is_simply_not_found(journeys_cli, database_url):
    result = journeys_cli("export", str(2**31 - 1))
    assert result.code == 2
    assert "does not exist" in result.err and "Traceback" not in result.err


def test_an_id_past_what_postgresql_holds_is_too_large_on_every_database(journeys_cli,
                                                                          database_url):
    result = journeys_cli("export", str(2**31))
    assert result.code == 2
    assert "no journey has an id this large" in result.err


def test_check_goes_on_after_a_bad_id(journeys_cli, database_url, samples_dir):
    result = journeys_cli("check", "²", samples_dir / "register-a-birth.json")
    assert result.code == 2
    assert "Register a birth: valid" in result.out


def _closed(command: str, env=None) -> subprocess.CompletedProcess:
    """Run ``journeys`` through a shell, as a user would with ``>&-`` or ``<&-``."""
    return subprocess.run(["sh", "-c", f'"{JOURNEYS_BIN}" {command}'], capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=120, check=False)


def test_a_closed_stdout_is_one_clear_line(database_url, samples_dir):
    sample = samples_dir / "register-a-birth.json"
    assert _closed(f"import '{sample}'").returncode == 0
    for command in ("list >&-", "list --json >&-", f"check '{sample}' >&-",
                    f"render '{sample}' --format md -o - >&-", f"propose '{sample}' >&-",
                    "history 1 >&-", "history 1 --json >&-"):
        result = _closed(command)
        err = result.stderr.decode()
        assert result.returncode == 2, command
        assert err.count("\n") == 1 and "standard output is closed" in err, (command, err)
        assert "Traceback" not in err and "Exception ignored" not in err


def test_a_closed_stdout_never_lands_in_the_database(database_url, samples_dir):
    # With fd 1 closed, the database file would be opened as fd 1.
    sample = samples_dir / "register-a-birth.json"
    assert _closed(f"import '{sample}' >&-").returncode == 2
    result = _closed("list")
    assert result.returncode == 0 and result.stdout.count(b"\n") == 1


def test_a_closed_stdin_is_one_clear_line(samples_dir):
    for command in ("render - <&-", "check - <&-", "import - <&-"):
        result = _closed(command)
        err = result.stderr.decode()
        assert result.returncode == 2, command
        assert "standard input is closed" in err and err.count("\n") == 1, err
        assert "Traceback" not in err


def test_a_closed_stdin_does_not_matter_when_unused(samples_dir, tmp_path):
    out = tmp_path / "birth.md"
    result = _closed(f"render '{samples_dir / 'register-a-birth.json'}' -o '{out}' <&-")
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("# Register a birth")


@pytest.mark.parametrize("value", ["abc", "ten", "1,5", "-3", "0", "inf", "nan", "5s"])
def test_a_bad_render_timeout_is_quoted_back(journeys_cli, samples_dir, value):
    result = journeys_cli("render", samples_dir / "register-a-birth.json", "-o", "x.svg",
                          env={"JOURNEYS_RENDER_TIMEOUT": value})
    assert result.code == 2
    assert f"JOURNEYS_RENDER_TIMEOUT must be a positive number of seconds, not '{value}'" \
        in result.err
    assert "Traceback" not in result.err


def test_a_render_timeout_with_control_characters_is_shown_escaped(journeys_cli, samples_dir):
    result = journeys_cli("render", samples_dir / "register-a-birth.json", "-o", "x.svg",
                          env={"JOURNEYS_RENDER_TIMEOUT": "9\x1b[2J"})
    assert result.code == 2
    assert "\x1b" not in result.err and "'9\\x1b[2J'" in result.err


# --- tab-separated outputs ------------------------------------------------------------------


def test_list_escapes_tabs_and_newlines_so_a_title_cannot_forge_a_row(journeys_cli,
                                                                      database_url,
                                                                      samples_dir, tmp_path):
    doc = json.loads((samples_dir / "register-a-birth.json").read_bytes())
    doc["title"] = "Birth\tforged team\t9 steps\n999\tEvil\t1 step\tFake \\ row"
    path = tmp_path / "forge.json"
    path.write_text(json.dumps(doc))
    assert journeys_cli("import", path, "--team", "A\\B").code == 0
    lines = journeys_cli("list").out.splitlines()
    assert len(lines) == 1
    fields = lines[0].split("\t")
    assert len(fields) == 4
    assert fields[1] == "A\\\\B"
    assert fields[3] == "Birth\\tforged team\\t9 steps\\n999\\tEvil\\t1 step\\tFake \\\\ row"


# --- reading documents: sizes -----------------------------------------------------------------


def test_an_oversize_file_states_its_real_size(journeys_cli, tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 6_000_000)
    result = journeys_cli("check", path)
    assert result.code == 2
    assert "the document is 6,000,000 bytes; at most 5,000,000 bytes are allowed" in result.err


def test_an_oversize_pipe_says_more_than_the_limit(journeys_cli):
    result = journeys_cli("check", "-", input=b" " * 6_000_000)
    assert result.code == 2
    assert "the document is more than 5,000,000 bytes" in result.err


# --- Mermaid as people write it ---------------------------------------------------------------


def test_mermaid_scores_outside_one_to_five_are_imported_with_a_warning(journeys_cli,
                                                                        database_url, tmp_path):
    (tmp_path / "published.mmd").write_text(
        "journey\n  title Published\n  section Apply\n    Fills the form: 9: Citizen\n"
        "    Waits: 0: Citizen\n")
    result = journeys_cli("import", "--from", "mermaid", "published.mmd")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "warning: published.mmd: line 4: the score 9 is outside 1–5; read as 5",
        "warning: published.mmd: line 5: the score 0 is outside 1–5; read as 1"]
    doc = json.loads(journeys_cli("export", result.out.strip(), "-o", "-").stdout)
    assert [s["emotion"] for s in doc["steps"]] == [2, -2]


# --- writing -o: never harm a file that is not ours --------------------------------------------


def test_o_dev_null_leaves_the_device_alone(journeys_cli, samples_dir):
    import stat

    result = journeys_cli("render", samples_dir / "register-a-birth.json", "--format", "md",
                          "-o", "/dev/null")
    assert result.code == 0, result.err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_o_through_a_symlink_with_a_long_name_keeps_the_link_and_the_mode(journeys_cli,
                                                                         samples_dir, tmp_path):
    real = tmp_path / ("r" * 247 + ".md")
    real.write_text("old")
    real.chmod(0o640)
    (tmp_path / "birth.md").symlink_to(real.name)
    result = journeys_cli("render", samples_dir / "register-a-birth.json", "-o", "birth.md")
    assert result.code == 0, result.err
    assert (tmp_path / "birth.md").is_symlink()
    assert real.read_text().startswith("# Register a birth")
    assert os.stat(real).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["birth.md", real.name]


def test_an_oversize_file_on_stdin_states_its_real_size(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 5_500_000)
    result = _closed(f"check - < '{path}'")
    assert result.returncode == 2
    assert b"the document is 5,500,000 bytes" in result.stderr
