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
CHECKS = "kiem-tra-so-lieu-2021-2023-thanh-pho-kon-tum"
# What a Party document never prints: file paths and extensions, finding codes, hashes, software.
MACHINE = (r"\.(xlsx|xls|csv|yaml|md|py|html|pdf)\b", r"data/|src/|/tmp", r"\b[WE]-[A-Z]{3,}", r"\b[0-9a-f]{64}\b",
           r"Python|pandas|WeasyPrint|papermill|SHA-256", r"bài viết|minh họa")


def visible(page: str) -> str:
    page = re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", *args], capture_output=True, text=True,
                          cwd=config.ROOT, timeout=600)


FIVE = "html,pdf,eml,docx,xlsx"


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """The city's report in every format, made once for the module's tests."""
    out = tmp_path_factory.mktemp("reports")
    result = run("--format", FIVE, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(str(out / name) for name in (
        f"{CITY}.html", f"{CITY}.pdf", f"{CITY}.eml", f"{CITY}.docx", f"{CITY}.xlsx", f"{CHECKS}.html", f"{CHECKS}.xlsx"))
    return out


def test_the_default_formats_are_html_and_pdf():
    from analysis.cli import build_parser

    assert build_parser(["report"]).parse_args(["report"]).format == "html,pdf"


@pytest.mark.slow
def test_city_html_carries_the_figures_and_nothing_external(city: Path):
    page = (city / f"{CITY}.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)))
    for figure in ("12.291", "98,8%", "99,0%", "98,5%", "50,7%", "34,2%", "24,5%", "48,1 điểm phần trăm",
                   "64,8 điểm phần trăm", "74,0 điểm phần trăm", "551 hộ", "240 mô hình", "145 mô hình",
                   "34 mô hình", "61 mô hình", "100%", "19,0%", "giảm 4,3 điểm phần trăm",
                   "giảm 3,3 điểm phần trăm"):
        assert figure in text, figure
    for heading in ("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG",
                    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ", "V. ĐỀ XUẤT, KIẾN NGHỊ", "Phụ lục I", "Phụ lục II",
                    "(Kèm theo Báo cáo số", "Nơi nhận:"):
        assert heading in text, heading
    assert "Phụ lục III" not in text
    for machine in MACHINE:
        assert not re.search(machine, visible(page)), machine
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
    for machine in MACHINE:
        assert not re.search(machine, text), machine
    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else (item.title,)

    outline = list(titles(reader.outline))
    assert outline[0].startswith("BÁO CÁO Sơ kết 2 năm") and "Phụ lục I KẾT QUẢ THỰC HIỆN THEO XÃ, PHƯỜNG" in outline


@pytest.mark.slow
def test_the_companion_holds_the_check_material(city: Path):
    text = visible((city / f"{CHECKS}.html").read_text(encoding="utf-8"))
    for found in ("W-TOTALS", "W-PERCENT", "Bieu01_2022.xlsx", "ô C30", "validation_rules.yaml", "SHA-256", "Python",
                  "pandas", "minh họa", "12.163", "12.160"):
        assert found in text, found


@pytest.mark.slow
def test_every_picture_of_the_report_and_the_companion_has_vietnamese_alt_text(city: Path):
    """The package's templates give every image its alt text (render.notebook_page: nbconvert's own
    pass that would add an English one is not run): the report's charts and the notebooks' in the
    companion are described, in Vietnamese."""
    for name in (f"{CITY}.html", f"{CHECKS}.html"):
        page = (city / name).read_text(encoding="utf-8")
        images = re.findall(r"<img\b[^>]*>", page)
        assert len(images) >= 4, name
        for image in images:
            alt = re.search(r'\salt="([^"]*)"', image)
            assert alt is not None and len(alt.group(1)) > 20, (name, image[:200])
            assert "No description" not in alt.group(1) and re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]",
                                                                   alt.group(1).lower()), (name, alt.group(1))


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
    files = sorted(tmp_path.glob("bao-cao-*.html"))
    assert len(files) == 22 and len(sorted(tmp_path.glob("kiem-tra-so-lieu-*.html"))) == 22
    assert len(result.stdout.split()) == 44
    assert {f.name for f in files} >= {f"{CITY}.html", "bao-cao-so-ket-2021-2023-xa-ia-chim.html",
                                        "bao-cao-so-ket-2021-2023-phuong-quang-trung.html"}
    assert len({f.read_bytes() for f in files}) == 22
    commune = visible((tmp_path / "bao-cao-so-ket-2021-2023-xa-ia-chim.html").read_text(encoding="utf-8"))
    assert "ĐẢNG ỦY XÃ IA CHIM" in commune and "-BC/ĐU" in commune and "T/M ĐẢNG ỦY" in commune
    assert "Lưu Văn phòng Đảng ủy" in commune and "THÀNH ỦY KON TUM" not in commune
    assert "Ban Thường vụ Thành ủy đã ban hành kế hoạch" not in commune  # the city's narrative
    assert "xã Ia Chim" in commune


@pytest.mark.slow
def test_all_five_formats_from_one_run(city: Path):
    tmp_path = city
    assert (tmp_path / f"{CHECKS}.xlsx").exists()
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
