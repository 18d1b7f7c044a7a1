"""The analysis notebooks 01-03 run with every report (analysis.publish): one real
`python -m analysis report` of the area in HTML on a copy of the bundled forms, shared by the
module; then an unchanged re-run and a run after one form changed, each on a copy of it."""

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis import config
from analysis.incremental import RECORD_FILE, UP_TO_DATE
from analysis.publish.lock import LOCK_FILE

REPORT = "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum.html"
CHECKS = "kiem-tra-so-lieu-2021-2023-thanh-pho-kon-tum.html"
NOTEBOOKS = {name: f"so-phan-tich-2021-2023-thanh-pho-kon-tum-{name}.ipynb"
             for name in ("01-lam-sach-va-kiem-tra", "02-xu-huong", "03-mo-hinh", "04-bao-cao")}
KEPT_DATA = "so-phan-tich-2021-2023-so-lieu.zip"  # one per period, shared by its reports


def run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", "--data", str(folder / "data"), "--out",
                           str(folder / "out"), "--format", "html"], capture_output=True, text=True, cwd=config.ROOT,
                          timeout=600)


def text_of(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def outputs(notebook: Path) -> list[dict]:
    import nbformat

    cells = nbformat.read(str(notebook), as_version=4).cells  # multi-line texts joined
    return [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]


def state(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the folder with its time and bytes; the lock (which names the run holding the
    folder, analysis.publish.lock) holds no output."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.name != LOCK_FILE}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("trail") / "base"
    shutil.copytree(config.RAW_DIR, folder / "data")
    result = run(folder)
    assert result.returncode == 0, result.stderr
    # the reader's list is the report and its check file; the notebooks are named on stderr
    assert result.stdout.split() == [str(folder / "out" / REPORT), str(folder / "out" / CHECKS)]
    assert "4 tệp “so-phan-tich-….ipynb”" in result.stderr
    return folder


@pytest.mark.slow
def test_the_four_executed_notebooks_are_kept_beside_the_report_and_recorded(base: Path):
    out = base / "out"
    for name, file in NOTEBOOKS.items():
        notebook = json.loads((out / file).read_text(encoding="utf-8"))
        parameters = notebook["metadata"]["papermill"]["parameters"]
        assert parameters["period"] == "2021-2023" and parameters["unit"] == "608", name
        assert parameters["computed_file"] == KEPT_DATA, name  # the data set `report` checked, kept beside it
        assert not [o for o in outputs(out / file) if o["output_type"] == "error"], name
    assert json.loads((out / NOTEBOOKS["02-xu-huong"]).read_text(encoding="utf-8"))["metadata"]["papermill"][
        "parameters"]["data_dir"] == str((base / "data").resolve())
    record = json.loads((out / RECORD_FILE).read_text(encoding="utf-8"))
    (entry,) = record["reports"].values()
    assert {output["file"] for output in entry["outputs"].values()} == {REPORT, CHECKS, *NOTEBOOKS.values(), KEPT_DATA}


@pytest.mark.slow
def test_a_figure_the_signed_report_prints_is_in_the_executed_02_of_the_same_run(base: Path):
    # 12.145 of 12.291 households changed their mindset in 2023 (Biểu 01): 98,81% -> "98,8%"
    report = text_of((base / "out" / REPORT).read_text(encoding="utf-8"))
    assert "12.145 hộ thay đổi nếp nghĩ" in report and "98,8%" in report
    shown = outputs(base / "out" / NOTEBOOKS["02-xu-huong"])
    tables = " ".join(text_of(o["data"]["text/html"]) for o in shown if "text/html" in o.get("data", {}))
    assert re.search(r"Tỉ lệ hộ ĐBDTTS thay đổi nếp nghĩ, cách làm % changed_mindset_rate – 50,7 81,2 98,8", tables)
    charts = [o["data"]["text/plain"] for o in shown if "image/png" in o.get("data", {})]
    assert any("toàn thành phố 98,8%" in alt for alt in charts)
    assert len(charts) == 5  # rates by year, units' rates, two heatmaps (seaborn), the poverty trend


@pytest.mark.slow
def test_the_mid_term_review_marks_2023_as_the_forms_say(base: Path):
    # the bundled 2023 form says "NĂM 2023 (số liệu đến ngày 15/6/2023)"; no parameter does (issue 22)
    text = text_of((base / "out" / REPORT).read_text(encoding="utf-8"))
    assert "Sơ kết 2 năm thực hiện Cuộc vận động" in text and "từ năm 2021 đến tháng 6 năm 2023" in text
    assert "Năm 2022 Năm 2023* Năm 2021 so với năm 2020" in text  # the poverty table's columns
    assert "(*) Năm 2023: số liệu đến ngày 15/6/2023, chưa đánh giá theo mục tiêu năm." in text
    assert "Số liệu đến ngày 15/6/2023 cho tỉ lệ 12,9%; đây là số giữa năm, chưa so với mục tiêu cả năm." in text
    assert "Cả hai năm đều đạt mục tiêu giảm trên 1 điểm phần trăm mỗi năm" in text  # 2021 and 2022 only


@pytest.mark.slow
def test_the_companion_shows_01_to_03_after_the_provenance_and_no_code(base: Path):
    page = (base / "out" / CHECKS).read_text(encoding="utf-8")
    text = text_of(page)
    headings = re.findall(r"<h2>(\d+)\. ([^<]+)</h2>", page)
    titles = [title for _, title in headings]
    provenance = titles.index("NGUỒN GỐC SỐ LIỆU VÀ CÁCH LẬP")
    assert titles[provenance + 1:] == ["LÀM SẠCH VÀ KIỂM TRA SỐ LIỆU: LỖI, CẢNH BÁO VÀ PHÁT HIỆN",
                                       "XU HƯỚNG VÀ XẾP HẠNG CÁC CHỈ TIÊU", "MÔ HÌNH KINH TẾ: DUY TRÌ VÀ NHÂN RỘNG"]
    assert [int(n) for n, _ in headings] == list(range(1, len(headings) + 1))
    for shown in ("0 lỗi, 3 cảnh báo trong 5 tệp", "Biểu 01 đã làm sạch: 84 dòng",  # 01: 21 units x 4 years
                  "thay đổi năm 2023 so với năm 2021", "179 mô hình xây dựng năm 2021–2022"):
        assert shown in text, shown
    charts = re.findall(r"<figure class=\"nb-chart\"><img [^>]*src=\"data:image/png;base64,", page)
    assert len(charts) == 7  # 02: five charts, 03: two
    for code in ("display(", "import ", "explore.", "computed_file", "In [", "jp-InputArea", "highlight"):
        assert code not in page, code
    assert "<script" not in page and not re.search(r"(src|href)=[\"'](https?:)?//", page)


@pytest.mark.slow
def test_an_unchanged_rerun_writes_nothing(copy: Path):
    before = state(copy / "out")
    result = run(copy)
    assert result.returncode == 0, result.stderr
    assert UP_TO_DATE in result.stderr and "Đang kiểm tra" not in result.stderr
    assert state(copy / "out") == before


@pytest.mark.slow
def test_a_changed_form_rebuilds_the_notebooks_too(copy: Path):
    before = state(copy / "out")
    path = copy / "data" / "Bieu02_MoHinh.xlsx"
    workbook = openpyxl.load_workbook(path)
    row = next(r for r in workbook.active.iter_rows(min_row=8) if r[2].value == "Phường Quang Trung")
    row[5].value = 23
    workbook.save(path)
    result = run(copy)
    assert result.returncode == 0, result.stderr
    after = state(copy / "out")
    rewritten = {name for name in after if before.get(name, (None,))[0] != after[name][0]}
    changed = {name for name in after if before.get(name, (0, None))[1] != after[name][1]}
    assert rewritten == changed  # no file rewritten with the same bytes
    # the household count is no figure of the signed report: its HTML is kept; the check file,
    # the data set, the model notebooks and the record change
    assert {CHECKS, RECORD_FILE, KEPT_DATA, NOTEBOOKS["01-lam-sach-va-kiem-tra"], NOTEBOOKS["03-mo-hinh"]} <= changed
    record = json.loads((copy / "out" / RECORD_FILE).read_text(encoding="utf-8"))
    (entry,) = record["reports"].values()
    assert {output["file"] for output in entry["outputs"].values()} == {REPORT, CHECKS, *NOTEBOOKS.values(), KEPT_DATA}


def _shown(notebook: Path) -> list[list[str]]:
    """What each code cell shows, charts aside (a PNG's bytes may differ from one matplotlib run to
    the next): its tables, texts and printed lines."""
    import nbformat

    return [[o.get("text", "") if o["output_type"] == "stream" else
             o.get("data", {}).get("text/html", o.get("data", {}).get("text/plain", "")) if "image/png" not in
             o.get("data", {}) else "chart: " + o["data"].get("text/plain", "")
             for o in cell.outputs] for cell in nbformat.read(str(notebook), as_version=4).cells
            if cell.cell_type == "code"]


@pytest.mark.slow
def test_a_kept_notebook_reruns_where_it_is_kept_in_a_fresh_kernel_to_the_same_tables(base: Path, tmp_path: Path):
    """The notebooks and their data file moved elsewhere (the forms gone from reach: the data file
    alone feeds them) and run by papermill with a kernel, as an analyst would, with no parameter."""
    import nbformat
    import papermill

    kept = tmp_path / "thư mục lưu"
    kept.mkdir()
    for name in [*NOTEBOOKS.values(), KEPT_DATA]:
        shutil.copy(base / "out" / name, kept / name)
    with zipfile.ZipFile(kept / KEPT_DATA) as archive:  # open formats only: Parquet and JSON, no pickle
        assert sorted(archive.namelist()) == sorted(["bo-so-lieu.json", *(f"{frame}.parquet" for frame in (
            "form01", "models", "reported_totals", "reported_percents", "findings", "sources", "as_of"))])
    for name in ("01-lam-sach-va-kiem-tra", "02-xu-huong", "03-mo-hinh"):
        source = kept / NOTEBOOKS[name]
        cells = [c for c in nbformat.read(str(source), as_version=4).cells if c.cell_type == "code"]
        assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), name  # counts shown
        again = tmp_path / f"lai-{name}.ipynb"
        papermill.execute_notebook(str(source), str(again), kernel_name="python3", progress_bar=False, cwd=str(kept))
        assert _shown(again) == _shown(source), name
        assert "data_dir" in nbformat.read(str(again), as_version=4).metadata["papermill"]["parameters"]
    report_again = tmp_path / "lai-04.ipynb"
    papermill.execute_notebook(str(kept / NOTEBOOKS["04-bao-cao"]), str(report_again), kernel_name="python3",
                               progress_bar=False, cwd=str(kept))
    assert _shown(report_again) == _shown(kept / NOTEBOOKS["04-bao-cao"])
    assert sorted(p.name for p in kept.iterdir()) == sorted([*NOTEBOOKS.values(), KEPT_DATA])  # nothing left behind


def test_a_missing_notebook_stops_the_run_with_its_name(tmp_path: Path):
    from unittest import mock

    from analysis.errors import RenderError
    from analysis.publish.notebooks import run_analysis_notebook

    with mock.patch.object(config, "NOTEBOOKS_DIR", tmp_path / "khong-co"), pytest.raises(
            RenderError, match=r"thiếu sổ tính “.*/khong-co/02_xu_huong\.ipynb” \(lệnh report chạy các sổ 01–04 trong "
                               r".*/khong-co\); các báo cáo cũ giữ nguyên"):
        run_analysis_notebook("02_xu_huong", tmp_path, {})
