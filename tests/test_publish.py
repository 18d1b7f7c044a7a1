"""End to end: `python -m analysis report` on the bundled data, as a subprocess (as users run it)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis import config

CITY = "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", *args], capture_output=True, text=True,
                          cwd=config.ROOT, timeout=600)


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = run("--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / f"{CITY}.html"), str(out / f"{CITY}.pdf")]
    return out


@pytest.mark.slow
def test_city_html_carries_the_figures_and_nothing_external(city: Path):
    page = (city / f"{CITY}.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)))
    for figure in ("12.291", "98,8%", "99,0%", "98,5%", "50,7%", "34,2%", "24,5%", "48,1 điểm phần trăm",
                   "64,8 điểm phần trăm", "74,0 điểm phần trăm", "551 hộ", "240 mô hình", "145 mô hình",
                   "34 mô hình", "61 mô hình", "100,0%", "19,0%", "60,4%", "14,2%", "25,4%", "giảm 4,3 điểm phần trăm",
                   "giảm 3,3 điểm phần trăm"):
        assert figure in text, figure
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ",
                    "IV. ĐỀ XUẤT, KIẾN NGHỊ", "Phụ lục I", "Phụ lục II", "Phụ lục III", "Nơi nhận:"):
        assert heading in text, heading
    assert "<script" not in page and "In [" not in page and "jp-" not in page  # no code, prompts, notebook style
    assert "computed_file" not in page  # no injected-parameters cell
    assert not re.search(r"(src|href)=[\"'](https?:)?//", page)
    assert len(page.encode()) < 1.5 * 1024 * 1024


@pytest.mark.slow
def test_city_pdf_is_a4_embedded_and_reads_in_vietnamese(city: Path):
    reader = PdfReader(city / f"{CITY}.pdf")
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "đồng bào dân tộc thiểu số" in text and "Đắk Blà" in text and "Ngọk Bay" in text
    assert "THÀNH ỦY KON TUM" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert len(reader.pages) > 8


@pytest.mark.slow
def test_a_run_on_bad_data_exits_1_and_leaves_the_previous_report_untouched(city: Path, tmp_path: Path):
    before = {p.name: p.read_bytes() for p in city.iterdir()}
    data = tmp_path / "data"
    shutil.copytree(config.RAW_DIR, data)
    (data / "ghi-chu.txt").write_text("không phải biểu", encoding="utf-8")
    result = run("--data", str(data), "--out", str(city))
    assert result.returncode == 1
    assert "E-FILE" in result.stderr and "ghi-chu.txt" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in city.iterdir()} == before  # no staging folder left either


@pytest.mark.slow
def test_usage_errors_exit_2(tmp_path: Path):
    for args, message in ((["--unit", "99999"], "không có đơn vị “99999”"), (["--format", "odt"], "odt"),
                          (["--data", str(tmp_path / "none")], "không tìm thấy thư mục")):
        result = run("--out", str(tmp_path / "out"), *args)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_all_units_make_22_distinct_reports(tmp_path: Path):
    result = run("--unit", "all", "--format", "html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    files = sorted(tmp_path.glob("*.html"))
    assert len(files) == 22 and len(result.stdout.split()) == 22
    assert {f.name for f in files} >= {f"{CITY}.html", "bao-cao-so-ket-2021-2023-xa-ia-chim.html",
                                        "bao-cao-so-ket-2021-2023-phuong-quang-trung.html"}
    assert len({f.read_bytes() for f in files}) == 22
    assert "Xã Ia Chim" in (tmp_path / "bao-cao-so-ket-2021-2023-xa-ia-chim.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_all_five_formats_from_one_run(tmp_path: Path):
    result = run("--format", "html,pdf,eml,docx,xlsx", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(Path(p).suffix for p in result.stdout.split()) == [".docx", ".eml", ".html", ".pdf", ".xlsx"]
    from email import policy
    from email.parser import BytesParser

    from analysis.render.eml import attachments

    message = BytesParser(policy=policy.default).parsebytes((tmp_path / f"{CITY}.eml").read_bytes())
    assert attachments(message) == {f"{CITY}.html": (tmp_path / f"{CITY}.html").read_bytes(),
                                    f"{CITY}.pdf": (tmp_path / f"{CITY}.pdf").read_bytes()}


@pytest.mark.slow
def test_a_character_the_pdf_font_lacks_exits_3_and_writes_nothing(tmp_path: Path):
    narrative = tmp_path / "nhan-dinh.md"
    text = (config.ROOT / "data/narrative/so-ket-2021-2023.md").read_text(encoding="utf-8")
    narrative.write_text(text.replace("### Ưu điểm", "### Ưu điểm\n\nGõ nhầm bảng mã: ก"), encoding="utf-8")
    params = tmp_path / "p.yaml"
    params.write_text(f"narrative: {narrative}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("-f", str(params), "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert "U+0E01" in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in out.iterdir()]  # neither an HTML without its PDF nor a staging folder
