"""`python -m analysis narrative` writes a unit's narrative whole; a draft without one still has parts
I–V with the places to write marked; `report --final` refuses (exit 1) naming the file and the
headings to write. Real commands, on the bundled 2021-2023 forms; the unit's file goes to a
temporary folder given in a parameters file."""

from __future__ import annotations

import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from analysis import config

pytestmark = pytest.mark.slow

IA_CHIM = "23326"
PARTS = ["CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", "KẾT QUẢ THỰC HIỆN", "ĐÁNH GIÁ CHUNG",
         "PHƯƠNG HƯỚNG, NHIỆM VỤ", "ĐỀ XUẤT, KIẾN NGHỊ"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=config.ROOT,
                          check=False, timeout=900)


@pytest.fixture
def params(tmp_path: Path) -> Path:
    """Parameters that put xã Ia Chim's narrative in a folder of the test's own."""
    path = tmp_path / "p.yaml"
    path.write_text(f'units:\n  "{IA_CHIM}": {{narrative_dir: "{tmp_path / "nhan-dinh"}"}}\n', encoding="utf-8")
    return path


def test_final_without_a_narrative_is_refused_naming_the_file_and_the_headings(params: Path, tmp_path: Path):
    result = run("report", "--unit", IA_CHIM, "--final", "--format", "html", "-f", str(params),
                 "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    expected = tmp_path / "nhan-dinh" / "xa-ia-chim.md"
    assert f"chưa có tệp nhận định “{expected}”" in result.stderr
    for heading in ("“## Công tác lãnh đạo, chỉ đạo”", "“### Nguyên nhân” (mục “## Đánh giá chung”)",
                    "“## Phương hướng, nhiệm vụ”", "“## Đề xuất, kiến nghị”"):
        assert heading in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "out").rglob("*.html"))


def test_the_narrative_command_writes_every_heading_and_a_draft_shows_the_places_to_write(params: Path, tmp_path: Path):
    written = run("narrative", "--unit", IA_CHIM, "-f", str(params))
    path = tmp_path / "nhan-dinh" / "xa-ia-chim.md"
    assert written.returncode == 0, written.stderr
    assert path.exists() and str(path) in written.stdout
    text = path.read_text(encoding="utf-8")
    for heading in ("## Công tác lãnh đạo, chỉ đạo", "## Kết quả thực hiện", "### Công tác tuyên truyền, phổ biến",
                    "## Đánh giá chung", "### Ưu điểm", "### Hạn chế", "### Nguyên nhân", "### Bài học kinh nghiệm",
                    "## Phương hướng, nhiệm vụ", "## Đề xuất, kiến nghị"):
        assert f"\n{heading}\n" in text
    assert text.count("\n[Cần viết:") == 7  # I, the four parts of III, IV, V
    assert "Đảng ủy xã Ia Chim" in text  # who writes it
    # a file that exists is never overwritten: the command says what it still lacks
    text = text.replace("[Cần viết: các nhiệm vụ, giải pháp trong thời gian tới.]", "- Việc của xã.")
    text = text.replace("### Công tác tuyên truyền, phổ biến", "### Công tác tuyên truyền phổ biến\n\nNói tại nhà rông.")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("### Công tác tuyên truyền phổ biến") + 1
    again = run("narrative", "--unit", IA_CHIM, "-f", str(params))
    assert again.returncode == 0 and again.stdout == ""
    assert "- Việc của xã." in path.read_text(encoding="utf-8")
    assert "còn phần chưa viết" in again.stderr and "“## Phương hướng, nhiệm vụ”" not in again.stderr
    assert (f"dòng {line}: “### Công tác tuyên truyền phổ biến” được hiểu là “### Công tác tuyên truyền, phổ biến”"
            in again.stderr)
    # the draft has parts I–V, the places still to write printed as they are
    draft = run("report", "--unit", IA_CHIM, "--format", "html", "-f", str(params), "--out", str(tmp_path / "out"))
    assert draft.returncode == 0, draft.stderr
    html = unescape(next((tmp_path / "out").rglob("bao-cao-*xa-ia-chim.html")).read_text(encoding="utf-8"))
    assert all(title in html for title in PARTS)
    assert "[Cần viết: việc quán triệt" in html and "Việc của xã." in html and "Nói tại nhà rông." in html
    assert f"dòng {line}: “### Công tác tuyên truyền phổ biến” được hiểu là" in draft.stderr  # the run says it too
    final = run("report", "--unit", IA_CHIM, "--final", "--format", "html", "-f", str(params),
                "--out", str(tmp_path / "out"))
    assert final.returncode == 1 and f"tệp nhận định “{path}” còn phần chưa viết" in final.stderr
    assert "“## Đề xuất, kiến nghị”" in final.stderr and "“## Phương hướng, nhiệm vụ”" not in final.stderr
