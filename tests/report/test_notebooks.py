"""Each notebook runs top to bottom under papermill with its defaults (into tmp_path)."""

import json
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


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_lam_sach_va_kiem_tra.ipynb", "02_xu_huong.ipynb", "03_mo_hinh.ipynb"])
def test_analysis_notebooks_run(tmp_path: Path, name: str):
    output = tmp_path / name
    papermill.execute_notebook(str(config.NOTEBOOKS_DIR / name), str(output), kernel_name="python3",
                               progress_bar=False, cwd=str(config.ROOT))
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    assert not [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    text = json.dumps(cells, ensure_ascii=False)
    expected = {"01_lam_sach_va_kiem_tra.ipynb": "0 lỗi, 3 cảnh báo trong 5 tệp",
                "02_xu_huong.ipynb": "thấp nhất", "03_mo_hinh.ipynb": "179 mô hình xây dựng năm 2021–2022"}[name]
    assert expected in text
