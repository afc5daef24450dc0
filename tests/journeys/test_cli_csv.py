"""``journeys export ID --format csv``: a folder gets the set of tables, a file the steps."""

import csv
import io


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_export_to_a_folder_writes_the_set_of_tables(journeys_cli, database_url, samples_dir,
                                                     tmp_path):
    journey_id = journeys_cli("import", samples_dir / "register-a-birth.json").out.strip()
    result = journeys_cli("export", journey_id, "--format", "csv", "-o", "tables/")
    assert result.code == 0, result.err
    names = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert names == sorted(["steps.csv", "transitions.csv", "checks.csv", "pain-points.csv",
                            "ideas.csv", "tags.csv", "proposals.csv",
                            "proposal-actions.csv"])
    steps = _rows(tmp_path / "tables" / "steps.csv")
    assert {r["journey_id"] for r in steps} == {journey_id}
    assert {r["journey_title"] for r in steps} == {"Register a birth"}
    proposals = _rows(tmp_path / "tables" / "proposals.csv")
    assert proposals[0]["Work Item Type"] == "Task" and proposals[0]["Title"]
    assert "wrote 8 tables to tables" in result.err


def test_export_to_a_file_writes_the_steps_table(journeys_cli, database_url, samples_dir,
                                                 tmp_path):
    journey_id = journeys_cli("import", samples_dir / "register-a-birth.json").out.strip()
    assert journeys_cli("export", journey_id, "-o", "steps.csv").code == 0
    steps = _rows(tmp_path / "steps.csv")
    assert steps[0]["journey_id"] == journey_id and steps[0]["step_id"] == "learn-duty"


def test_a_folder_takes_only_the_csv_set(journeys_cli, database_url, samples_dir, tmp_path):
    journey_id = journeys_cli("import", samples_dir / "register-a-birth.json").out.strip()
    result = journeys_cli("export", journey_id, "--format", "svg", "-o", "pictures/")
    assert result.code == 2 and "a folder receives the set of CSV tables" in result.err
    assert not (tmp_path / "pictures").exists()
