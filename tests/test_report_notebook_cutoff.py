"""Early cutoff before any chart is drawn (analysis.publish.runner._render): a report is first built
without its pictures, its formats' content ids compared with the record; when every format and the
executed report notebook are unchanged, no chart of the report is drawn and the report notebook does
not run. Events are asserted (which reports ran their notebook, how many pictures were drawn), never
durations. The reports run in this process (--workers 1), so the counters see them."""

import shutil
from pathlib import Path

import openpyxl
import pytest

import analysis.publish.runner as runner
from analysis import config
from analysis.cli import main
from analysis.report import chart_theme

pytestmark = pytest.mark.slow

AREA, WARD = "608", "23281"  # the city and Phường Quang Trung


@pytest.fixture
def events(monkeypatch) -> dict[str, list]:
    """The units whose report notebook ran, and every report picture drawn (the chart's title)."""
    seen: dict[str, list] = {"notebook": [], "drawn": []}
    execute, draw = runner._execute_notebook, chart_theme._png

    def executed(job, folder):
        seen["notebook"].append(job.unit_code)
        return execute(job, folder)

    def drawn(chart, dpi):
        seen["drawn"].append(chart.title)
        return draw(chart, dpi)

    monkeypatch.setattr(runner, "_execute_notebook", executed)
    monkeypatch.setattr(chart_theme, "_png", drawn)
    return seen


def report(data: Path, out: Path) -> int:
    return main(["report", "--data", str(data), "--out", str(out), "--format", "html,pdf", "--unit", AREA, WARD,
                 "--workers", "1"])


def edit(path: Path, unit_name: str, column: int, change) -> None:
    workbook = openpyxl.load_workbook(path)
    row = next(r for r in workbook.active.iter_rows(min_row=8) if r[2].value == unit_name)
    row[column].value = change(row[column].value)
    workbook.save(path)


def more_in_cooperatives(path: Path, unit_name: str) -> None:
    """The unit's households in cooperatives (form 01), one more: every report prints it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    header = next(r for r in sheet.iter_rows() if any("HTX" in str(c.value) for c in r))
    column = next(i for i, c in enumerate(header) if "HTX" in str(c.value))
    row = next(r for r in sheet.iter_rows() if any(unit_name in str(c.value) for c in r))
    row[column].value = int(row[column].value) + 1
    workbook.save(path)


def reports(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.glob("bao-cao-*") if p.suffix in (".html", ".pdf")}


def test_an_unprinted_change_draws_no_chart_and_runs_no_report_notebook(tmp_path: Path, events):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(config.RAW_DIR, data)
    # Not the bundled sample any more (the report notes sample data): a model's households, one more.
    edit(data / "Bieu02_MoHinh.xlsx", "Phường Duy Tân", 5, lambda value: (value or 0) + 1)
    assert report(data, out) == 0
    assert sorted(events["notebook"]) == [WARD, AREA]  # a first run: both, every picture drawn
    assert len(events["drawn"]) > 0
    made = reports(out)
    assert len(made) == 4

    events["notebook"].clear()
    events["drawn"].clear()
    edit(data / "Bieu02_MoHinh.xlsx", "Phường Quang Trung", 1, lambda name: f"{name} (đổi tên)")
    assert report(data, out) == 0
    assert events == {"notebook": [], "drawn": []}  # both reports compared before drawing: nothing printed changed
    assert reports(out) == made

    more_in_cooperatives(data / "Bieu01_2023.xlsx", "Quang Trung")
    assert report(data, out) == 0  # a count the ward's report prints (and the city's sums)
    assert sorted(events["notebook"]) == [WARD, AREA]
    assert len(events["drawn"]) > 0


def test_a_report_notebook_that_builds_its_own_report_is_the_report(tmp_path: Path, monkeypatch):
    """The report notebook, edited to call prepare with a signer of its own, does not show the
    report the command built for it: the report it built is the one every format prints (the
    PDF, laid out for the command's report on the spare core, is laid out again for it)."""
    import json

    from pypdf import PdfReader

    import analysis.publish as publish

    notebook = json.loads((config.NOTEBOOKS_DIR / "04_bao_cao.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "prepare(" in "".join(c["source"]))
    source = "".join(cell["source"])
    assert "signer_name=signer_name" in source
    cell["source"] = source.replace("signer_name=signer_name", 'signer_name="Nguyễn Văn Thử"')
    edited = tmp_path / "notebooks" / "04_bao_cao.ipynb"
    edited.parent.mkdir()
    edited.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(runner, "NOTEBOOK", edited)
    monkeypatch.setattr(publish, "usable_cpus", lambda: 2)  # a core to spare: the PDF worker is started

    out = tmp_path / "out"
    assert main(["report", "--out", str(out), "--format", "html,pdf"]) == 0
    html = next(out.glob("bao-cao-*.html")).read_text(encoding="utf-8")
    pdf = "".join(page.extract_text() for page in PdfReader(next(out.glob("bao-cao-*.pdf"))).pages)
    assert "Nguyễn Văn Thử" in html
    assert "Nguyễn Văn Thử" in " ".join(pdf.split())
