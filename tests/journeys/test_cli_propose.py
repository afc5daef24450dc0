"""``journeys propose``: the design brief as a file (Markdown or PDF), chosen as exports are."""

import json


def test_propose_writes_a_pdf_brief(journeys_cli, samples_dir, tmp_path):
    result = journeys_cli("propose", samples_dir / "register-a-birth.json", "--format", "pdf",
                          "-o", "brief.pdf", "--today", "2026-11-24")
    assert result.code == 0, result.err
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF-")
    assert "wrote brief.pdf" in result.err and result.out == ""


def test_propose_takes_the_format_from_the_extension(journeys_cli, samples_dir, tmp_path):
    assert journeys_cli("propose", samples_dir / "register-a-birth.json", "-o",
                        "brief.md").code == 0
    assert (tmp_path / "brief.md").read_text().startswith("# Design brief: Register a birth")
    assert journeys_cli("propose", samples_dir / "register-a-birth.json", "-o",
                        "out.json").code == 0
    doc = json.loads((tmp_path / "out.json").read_text())
    assert doc["format"] == "citizen-journey-proposals/1"


def test_propose_refuses_a_format_its_file_name_contradicts(journeys_cli, samples_dir,
                                                            tmp_path):
    clash = journeys_cli("propose", samples_dir / "register-a-birth.json", "--format", "pdf",
                         "-o", "brief.md")
    assert clash.code == 2 and "the extension says md but --format is pdf" in clash.err
    picture = journeys_cli("propose", samples_dir / "register-a-birth.json", "-o", "x.svg")
    assert picture.code == 2 and "this command cannot write svg" in picture.err
    assert not (tmp_path / "brief.md").exists() and not (tmp_path / "x.svg").exists()


def test_propose_still_prints_to_stdout_by_default(journeys_cli, samples_dir):
    result = journeys_cli("propose", samples_dir / "register-a-birth.json", "--today",
                          "2026-11-24")
    assert result.code == 0
    assert result.out.splitlines()[0].split()[1] == "DR12:step:book-online"
