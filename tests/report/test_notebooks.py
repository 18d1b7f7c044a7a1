"""Each notebook runs top to bottom under papermill with its defaults (into tmp_path), with a
real kernel: every chart it calls leaves an image; bad parameters and data with errors stop it
with a Vietnamese message."""

import json
import shutil
from pathlib import Path

import papermill
import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_notebooks_are_committed_without_outputs_and_have_a_parameters_cell():
    assert len(NOTEBOOKS) == 4
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert not any(c.get("outputs") for c in cells), path.name
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        for line in "".join(tagged[0]["source"]).splitlines():
            assert ": " in line.split("=")[0] and "  # " in line, f"{path.name}: {line}"  # typed, commented


def test_notebooks_ask_for_the_project_kernel_that_every_path_installs_inside_its_environment():
    for path in NOTEBOOKS:
        kernelspec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert kernelspec["name"] == "kontum-analysis" == config.KERNEL_NAME, path.name
        assert kernelspec["display_name"] == config.KERNEL_DISPLAY_NAME, path.name
    makefile = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(PY) -m analysis lab --kernel-only" in makefile  # with the venv
    assert "$(PY) -m analysis lab $(LAB_ARGS)" in makefile  # make lab: the command every path uses
    assert "--user" not in makefile and "ipykernel install" not in makefile


def _run(tmp_path: Path, name: str, **parameters) -> list[dict]:
    output = tmp_path / name
    try:
        papermill.execute_notebook(str(config.NOTEBOOKS_DIR / name), str(output), kernel_name="python3",
                                   parameters=parameters, progress_bar=False, cwd=str(config.ROOT))
    except papermill.PapermillExecutionError:
        pass  # the caller looks at the error output
    return json.loads(output.read_text(encoding="utf-8"))["cells"]


def _errors(cells: list[dict]) -> list[dict]:
    return [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_lam_sach_va_kiem_tra.ipynb", "02_xu_huong.ipynb", "03_mo_hinh.ipynb"])
def test_analysis_notebooks_run(tmp_path: Path, name: str):
    cells = _run(tmp_path, name)
    assert not _errors(cells)
    chart_cells = [c for c in cells if c["cell_type"] == "code" and "charts." in "".join(c["source"])]
    assert len(chart_cells) == {"01_lam_sach_va_kiem_tra.ipynb": 0, "02_xu_huong.ipynb": 5, "03_mo_hinh.ipynb": 2}[name]
    for cell in chart_cells:  # each chart shows, not only its alt text
        images = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
        assert len(images) == 1, "".join(cell["source"])
    text = json.dumps(cells, ensure_ascii=False)
    expected = {"01_lam_sach_va_kiem_tra.ipynb": "0 lỗi, 3 cảnh báo trong 5 tệp",
                "02_xu_huong.ipynb": "thấp nhất", "03_mo_hinh.ipynb": "179 mô hình xây dựng năm 2021–2022"}[name]
    assert expected in text


@pytest.mark.slow
def test_an_unknown_indicator_stops_notebook_02_with_the_valid_ids(tmp_path: Path):
    cells = _run(tmp_path, "02_xu_huong.ipynb", indicator="khong_co")
    (error,) = _errors(cells)
    assert error["ename"] == "StopNotebook"
    assert "tham số indicator = “khong_co” không có trong indicators.yaml" in error["evalue"]
    assert "poor_near_poor_rate (Tỉ lệ hộ nghèo và cận nghèo ĐBDTTS)" in error["evalue"]
    assert not [o for c in cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]


@pytest.mark.slow
def test_notebook_03_stops_with_the_validation_summary_when_the_data_have_errors(tmp_path: Path):
    data = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, data)
    shutil.copy(data / "Bieu01_2023.xlsx", data / "Bieu01_2024.xlsx")  # a year outside 2021-2023
    cells = _run(tmp_path, "03_mo_hinh.ipynb", data_dir=str(data))
    (error,) = _errors(cells)
    # one error for the 2024 table (its 21 rows), not one per row: the root cause first (issue 22)
    assert error["evalue"].startswith("1 lỗi, 3 cảnh báo trong 6 tệp. Có lỗi: chưa lập được báo cáo. Sổ này cần số")
    shown = json.dumps(cells, ensure_ascii=False)
    # one error for the copy's table (21 units, rows 9-29), located at its first row as `validate` does
    assert "Bieu01_2024.xlsx › Biểu 01 › dòng 9: số liệu năm 2024" in shown and "› dòng 30:" not in shown
    assert "số liệu năm 2024 (21 dòng) nằm ngoài kỳ báo cáo 2021–2023" in shown


def test_every_comment_in_the_notebooks_is_vietnamese():
    """An analyst reads the cells: a comment has Vietnamese words (a letter with a diacritic), never English only."""
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for line in "".join(cell["source"]).splitlines():
                    if "  # " in line:
                        comment = line.split("  # ", 1)[1]
                        assert any(ord(ch) > 127 and ch.isalpha() for ch in comment), f"{path.name}: {line}"
