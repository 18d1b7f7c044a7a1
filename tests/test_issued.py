"""Issued is issued (analysis.archive): real `python -m analysis report --final --number …` runs on a
copy of the bundled forms, then a commune corrects one cell.

The area's report is issued as "Số 127-BC/TU" (HTML, PDF and email) and xã Ia Chim's own report
as "Số 12-BC/ĐU"; then Ia Chim's households in cooperatives for 2023 (Biểu 01 2023, column L)
go up by 10. Expected values are read from the form with openpyxl and worked out here: the
area's total is the sum of the units' column L (551, the published figure), the rates are the
counts over the households of the same row.
"""

import email
import email.policy
import shutil
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from sample_forms import unit_rows

from analysis import config
from analysis.archive.issued import ISSUED_DIR, MANIFEST_FILE, REGISTER_FILE, read_issued
from analysis.archive.textcsv import read_rows
from analysis.incremental import UP_TO_DATE
from analysis.formatting import fmt_int, fmt_number

AREA_STEM = "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum"
UNIT_STEM = "bao-cao-so-ket-2021-2023-xa-ia-chim"
COOP = "Tham gia tổ hợp tác, hợp tác xã (hộ)"
FORM = "Bieu01_2023.xlsx"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=cwd or config.ROOT, timeout=900)


def report(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return run("report", "--data", str(folder / "data"), "--out", str(folder / "out"), "-f", str(folder / "p.yaml"),
               *extra)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mode."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ia_chim_row(data: Path) -> int:
    sheet = openpyxl.load_workbook(data / FORM).active
    return next(r[0].row for r in sheet.iter_rows(min_row=9) if r[1].value and "Ia Chim" in str(r[1].value))


def cell(data: Path, address: str):
    return openpyxl.load_workbook(data / FORM).active[address].value


def set_cell(data: Path, address: str, value) -> None:
    workbook = openpyxl.load_workbook(data / FORM)
    workbook.active[address] = value
    workbook.save(data / FORM)


class Tables(HTMLParser):
    """The tables of a page written by the package (a caption paragraph, then the table), by caption."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = self._text = ""
        self._in: str | None = None
        self._row: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "p" and ("class", "caption") in attrs:
            self._in, self._text = "caption", ""
        elif tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._in, self._text = "cell", ""

    def handle_endtag(self, tag):
        if tag == "p" and self._in == "caption":
            self._caption, self._in = self._text.strip(), None
        elif tag in ("td", "th") and self._in == "cell":
            self._row.append(" ".join(self._text.split()))
            self._in = None
        elif tag == "tr" and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table" and self._rows is not None:
            if self._caption:  # the table right after its caption
                self.tables[self._caption] = self._rows
            self._rows, self._caption = None, ""

    def handle_data(self, data):
        if self._in:
            self._text += data


def table(html: str, title: str) -> list[list[str]]:
    """The body rows of the table whose caption ends with `title`."""
    tables = Tables(html).tables
    caption = next(c for c in tables if c.endswith(title))
    return tables[caption][1:]


def message(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def changes_in(body: str) -> list[str]:
    """The lines of an email body between "Những điểm sửa đổi" and the next blank line."""
    lines = body.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Những điểm sửa đổi, bổ sung"))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return lines[start + 1:end]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("issued") / "base"
    shutil.copytree(config.RAW_DIR, folder / "data")
    shutil.copy(config.NARRATIVE_DIR / "so-ket-2021-2023.md", folder / "nhan-dinh.md")
    (folder / "p.yaml").write_text(f"narrative: {folder / 'nhan-dinh.md'}\n", encoding="utf-8")
    area = report(folder, "--format", "html,pdf,eml", "--final", "--number", "Số 127-BC/TU")
    assert area.returncode == 0, area.stderr
    unit = report(folder, "--format", "html", "--unit", "23326", "--final", "--number", "Số 12-BC/ĐU")
    assert unit.returncode == 0, unit.stderr
    return folder


@pytest.fixture
def moved(copy: Path) -> Path:
    """A copy whose narrative parameter names the copy's own narrative file."""
    (copy / "p.yaml").write_text(f"narrative: {copy / 'nhan-dinh.md'}\n", encoding="utf-8")
    return copy


@pytest.mark.slow
def test_the_issued_folders_keep_the_formats_figures_parameters_and_forms(base: Path):
    root = base / "out" / ISSUED_DIR
    assert sorted(p.name for p in root.iterdir()) == ["12-BC-DU", "127-BC-TU", REGISTER_FILE]
    area = root / "127-BC-TU"
    assert {p.name for p in area.iterdir()} == {
        f"{AREA_STEM}.html", f"{AREA_STEM}.pdf", f"{AREA_STEM}.eml", "kiem-tra-so-lieu-2021-2023-thanh-pho-kon-tum.html",
        "so-lieu-in.csv", "cau-van.csv", "tham-so.json", "bieu", "bieu.sha256", MANIFEST_FILE}
    # the signed formats are the ones the run put in out/ (byte for byte), the forms the ones read
    for name in (f"{AREA_STEM}.html", f"{AREA_STEM}.pdf"):
        assert (area / name).read_bytes() == (base / "out" / name).read_bytes()
    for form in (base / "data").iterdir():
        assert (area / "bieu" / form.name).read_bytes() == form.read_bytes()
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o222 == 0 for p in area.rglob("*") if p.is_file())
    issued = read_issued(area)
    assert (issued.number, issued.period, issued.unit_code, issued.unit_name) == ("Số 127-BC/TU", (2021, 2023), "608",
                                                                                    "Thành phố Kon Tum")
    assert issued.date.isoformat() == "2023-06-23" and issued.map.units == 21
    # every printed figure with its place: Ia Chim's 2023 cooperative households as the form says
    header, rows = read_rows(area / "so-lieu-in.csv")
    assert header[:4] == ["Vị trí", "Nhãn", "Số liệu in", "Giá trị"]
    by_place = {row[0]: row for row in rows}
    coop = cell(base / "data", f"L{ia_chim_row(base / 'data')}")
    assert by_place[f"Bảng 1, dòng Xã Ia Chim, cột {COOP}"][2:4] == [fmt_int(coop), repr(float(coop))]
    total = sum(row[11] for row in unit_rows(base / "data" / FORM))
    assert total == 551 and by_place[f"Bảng 1, dòng Toàn thành phố, cột {COOP}"][2] == "551"
    # the register: number, date, period, unit, title, digest
    _, register = read_rows(root / REGISTER_FILE)
    assert [r[:5] for r in register] == [["Số 127-BC/TU", "23/6/2023", "2021–2023", "608", "Thành phố Kon Tum"],
                                         ["Số 12-BC/ĐU", "23/6/2023", "2021–2023", "23326", "Xã Ia Chim"]]
    assert register[0][8] == issued.content
    # the signed report names no file, hash or software
    signed = (area / f"{AREA_STEM}.html").read_text(encoding="utf-8")
    assert "Bieu01" not in signed and issued.content not in signed and "da-ban-hanh" not in signed
    listed = run("issued", "--out", str(base / "out"))
    assert listed.returncode == 0 and "Số 127-BC/TU" in listed.stdout and "Số 12-BC/ĐU" in listed.stdout
    assert listed.stdout.count("nguyên vẹn") == 2
    # issuing it did not make the report out of date: the same command again writes nothing
    before = snapshot(base / "out")
    again = report(base, "--format", "html,pdf,eml", "--final", "--number", "Số 127-BC/TU")
    assert again.returncode == 0 and UP_TO_DATE in again.stderr, again.stderr
    assert snapshot(base / "out") == before


@pytest.mark.slow
def test_a_corrected_cell_is_named_by_the_companion_the_email_the_terminal_and_diff(moved: Path):
    data, out = moved / "data", moved / "out"
    before = snapshot(out / ISSUED_DIR)
    row = ia_chim_row(data)
    address = f"L{row}"
    old = cell(data, address)
    households = cell(data, f"C{row}")
    set_cell(data, address, old + 10)
    where = f"{FORM} › Biểu 01 › ô {address}: {fmt_int(old)} → {fmt_int(old + 10)}"

    result = report(moved, "--format", "html,pdf,eml", "--unit", "city", "23326")
    assert result.returncode == 0, result.stderr

    # the terminal: each changed figure with issued and new value, the difference and the cell
    area_label = "Kết quả thực hiện Cuộc vận động theo xã, phường năm 2023"
    assert (f"  - {area_label}: Xã Ia Chim, {COOP}: {fmt_int(old)} → {fmt_int(old + 10)} (tăng 10)"
            in result.stderr.splitlines())
    assert f"  - {area_label}: Toàn thành phố, {COOP}: 551 → 561 (tăng 10)" in result.stderr.splitlines()
    # the count and the rate of the cooperative columns: in the area's Bảng 1 (Ia Chim's row and the total) and
    # Bảng 2 (the area's 2023 row): 6; in Ia Chim's Bảng 1 (its 2023 row and the area's): 4
    assert result.stderr.count(f"      ô đã sửa: {where}") == 10

    # the area's companion: exactly the two figures, the one sentence and the one cell
    companion = (out / "kiem-tra-so-lieu-2021-2023-thanh-pho-kon-tum.html").read_text(encoding="utf-8")
    figures = table(companion, "Các số liệu khác bản đã ban hành")
    assert len(figures) == 6 and [f"Bảng 1, dòng Xã Ia Chim, cột {COOP}", fmt_int(old), fmt_int(old + 10), "tăng 10",
                                  where] == figures[0][1:]
    assert [f"Bảng 1, dòng Toàn thành phố, cột {COOP}", "551", "561", "tăng 10", where] in [r[1:] for r in figures]
    sentences = table(companion, "Các câu khác bản đã ban hành")
    # 561 of 12.291 households is 4,56…%: 4,6% (551 was 4,48…%: 4,5%)
    assert len(sentences) == 1 and "551 hộ" in sentences[0][1] and "4,5%" in sentences[0][1]
    assert "561 hộ" in sentences[0][2] and f"{fmt_number(561 / 12291 * 100, 1)}%" in sentences[0][2]
    assert table(companion, "Các ô biểu đã sửa từ khi ban hành") == [
        [FORM, "Biểu 01", address, "Xã Ia Chim", "2023", "số hộ tham gia tổ hợp tác, hợp tác xã", fmt_int(old),
         fmt_int(old + 10)]]

    # the area's email: a corrected version naming the issued number, the two figures and the cell
    mail = message(out / f"{AREA_STEM}.eml")
    assert mail["Subject"] == "[DỰ THẢO] Bản sửa đổi, bổ sung Báo cáo số 127-BC/TU (2021–2023) – Thành phố Kon Tum"
    body = mail.get_body(("plain",)).get_content()
    assert "Thay thế Báo cáo số 127-BC/TU ngày 23/6/2023 đã ban hành." in body
    lines = changes_in(body)
    assert lines[:2] == [f"- Bảng 1, dòng Xã Ia Chim, cột {COOP}: {fmt_int(old)} → {fmt_int(old + 10)} (tăng 10)",
                         f"    ô đã sửa: {where}"]
    assert f"- Bảng 1, dòng Toàn thành phố, cột {COOP}: 551 → 561 (tăng 10)" in lines
    assert lines[12].startswith("- Câu ở Mục II › 4. Tham gia tổ hợp tác, hợp tác xã, đoạn 1, nay là:")
    assert len([line for line in lines if line.startswith("- ")]) == 7
    assert "BẢN SỬA ĐỔI, BỔ SUNG" in mail.get_body(("html",)).get_content()

    # Ia Chim's own report: its 2023 row and the area's row, the same cell
    own = (out / "kiem-tra-so-lieu-2021-2023-xa-ia-chim.html").read_text(encoding="utf-8")
    own_figures = [r[1:] for r in table(own, "Các số liệu khác bản đã ban hành")]
    assert len(own_figures) == 4
    assert [f"Bảng 1, dòng 2023, cột {COOP}", fmt_int(old), fmt_int(old + 10), "tăng 10", where] in own_figures
    assert [f"Bảng 1, dòng Toàn thành phố năm 2023, cột {COOP}", "551", "561", "tăng 10", where] in own_figures
    said = table(own, "Các câu khác bản đã ban hành")
    assert len(said) == 1 and f"{fmt_number(old / households * 100, 1)}%" in said[0][1]
    assert f"{fmt_number((old + 10) / households * 100, 1)}%" in said[0][2]

    # the diff command says the same, in the terminal and on its page
    diff = run("diff", "Số 127-BC/TU", "du-thao", "--data", str(data), "--out", str(out), "-f", str(moved / "p.yaml"))
    assert diff.returncode == 0, diff.stderr
    assert "Số liệu khác nhau: 6 (trên" in diff.stdout and "Câu khác nhau: 1" in diff.stdout
    assert f"  Bảng 1, dòng Xã Ia Chim, cột {COOP}" in diff.stdout and f"      ô đã sửa: {where}" in diff.stdout
    page = (out / "so-sanh-127-BC-TU-voi-du-thao.html").read_text(encoding="utf-8")
    rows = table(page.replace("<h2>1. Số liệu khác nhau</h2>", '<p class="caption">Số liệu khác nhau</p>'),
                 "Số liệu khác nhau")
    assert rows[0][1:] == [fmt_int(old), fmt_int(old + 10), "tăng 10"]
    assert rows[1] == [f"Ô biểu đã sửa có liên quan: {where}"]
    assert ["551", "561", "tăng 10"] in [r[1:] for r in rows] and len(rows) == 12

    # the issued folders did not change by a byte
    assert snapshot(out / ISSUED_DIR) == before

    # the same number again with other content is refused, and nothing is written
    reports = snapshot(out)
    again = report(moved, "--format", "html,pdf,eml", "--final", "--number", "Số 127-BC/TU")
    assert again.returncode == 2, again.stderr
    assert "số văn bản “Số 127-BC/TU” đã ban hành" in again.stderr and "Traceback" not in again.stderr
    assert "6 số liệu khác" in again.stderr and "1 tệp biểu khác (Bieu01_2023.xlsx)" in again.stderr  # as listed above
    assert snapshot(out) == reports


@pytest.mark.slow
def test_the_same_number_with_the_same_content_is_accepted_and_left_as_it_is(moved: Path):
    out = moved / "out"
    before = snapshot(out / ISSUED_DIR)
    again = report(moved, "--format", "html,pdf,eml", "--final", "--number", "Số 127-BC/TU", "--force")
    assert again.returncode == 0, again.stderr
    assert "Báo cáo số 127-BC/TU ngày 23/6/2023 đã ban hành, nội dung không đổi" in again.stderr
    assert snapshot(out / ISSUED_DIR) == before
    # a tampered archive is seen by `issued`
    pdf = out / ISSUED_DIR / "127-BC-TU" / f"{AREA_STEM}.pdf"
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"%")
    listed = run("issued", "--out", str(out))
    assert f"CÓ TỆP BỊ SỬA HOẶC THIẾU: {AREA_STEM}.pdf" in listed.stdout and listed.stdout.count("nguyên vẹn") == 1


@pytest.mark.slow
def test_a_new_number_replaces_the_issued_one_and_a_wording_change_alone_is_a_correction(moved: Path):
    out = moved / "out"
    narrative = moved / "nhan-dinh.md"
    text = narrative.read_text(encoding="utf-8")
    assert "## Phương hướng, nhiệm vụ" in text
    narrative.write_text(text.replace("## Phương hướng, nhiệm vụ\n",
                                      "## Phương hướng, nhiệm vụ\n\n- Rà soát lại số liệu các xã, phường.\n"),
                         encoding="utf-8")
    draft = report(moved, "--format", "html,pdf,eml")
    assert draft.returncode == 0, draft.stderr
    body = message(out / f"{AREA_STEM}.eml").get_body(("plain",)).get_content()
    assert changes_in(body) == ["- Các số liệu không thay đổi; sửa đổi, bổ sung câu chữ:",
                                "- Câu mới ở Mục IV, đoạn 1: “Rà soát lại số liệu các xã, phường.”"]
    final = report(moved, "--format", "html,pdf,eml", "--final", "--number", "Số 135-BC/TU")
    assert final.returncode == 0, final.stderr
    issued = read_issued(out / ISSUED_DIR / "135-BC-TU")
    assert issued.replaces == "Số 127-BC/TU"
    mail = message(out / f"{AREA_STEM}.eml")
    assert mail["Subject"] == "Bản sửa đổi, bổ sung Báo cáo số 127-BC/TU (2021–2023) – Thành phố Kon Tum"
    assert "sửa đổi, bổ sung và thay thế Báo cáo số 127-BC/TU ngày 23/6/2023" in mail.get_body(("plain",)).get_content()
    _, register = read_rows(out / ISSUED_DIR / REGISTER_FILE)
    assert [(r[0], r[6]) for r in register] == [("Số 127-BC/TU", ""), ("Số 12-BC/ĐU", ""),
                                                ("Số 135-BC/TU", "Số 127-BC/TU")]
    # a later draft is compared with the last issued version: 135, with nothing changed since
    later = report(moved, "--format", "html")
    assert "Thành phố Kon Tum: không khác Báo cáo số 135-BC/TU ngày 23/6/2023 đã ban hành." in later.stderr


def test_a_number_is_one_documents(tmp_path: Path):
    result = run("report", "--unit", "all", "--final", "--number", "Số 127-BC/TU", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "chỉ dùng khi lập một báo cáo" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_an_issued_folder_deleted_by_hand_is_kept_again_by_the_same_command(copy: Path):
    folder = copy / "out" / ISSUED_DIR / "127-BC-TU"
    content = read_issued(folder).content
    shutil.rmtree(folder)
    again = report(copy, "--format", "html,pdf,eml", "--final", "--number", "Số 127-BC/TU")
    assert again.returncode == 0, again.stderr
    assert UP_TO_DATE not in again.stderr and "Đã lưu bản ban hành vào" in again.stderr
    assert read_issued(folder).content == content  # the same forms and the same print: the same digest
