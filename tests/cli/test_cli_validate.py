"""`validate` on cell text that carries terminal escape sequences and control characters."""

from pathlib import Path

from openpyxl import load_workbook

from analysis.cli import main

ESCAPES = "\x1b[2J\x1b]0;pwned\x07"


def forms_with_escapes(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "Bieu02.csv").write_text(
        "STT,Tên mô hình,Đơn vị,Lĩnh vực,Năm xây dựng,Số hộ tham gia,Tình trạng,Năm ngừng,Ghi chú\n"
        f"1,Mô hình nuôi bò,Xã Ia Chim,Chăn nuôi,2021,10,{ESCAPES}Đang duy trì,,\n", encoding="utf-8")
    return data


def test_findings_quote_cell_text_with_its_escapes_visible(tmp_path: Path, capsys):
    assert main(["validate", "--data", str(forms_with_escapes(tmp_path))]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err and "\x07" not in captured.out
    assert "“\\x1b[2J\\x1b]0;pwned\\x07Đang duy" in captured.out and "E-STATUS" in captured.out


def test_by_unit_workbooks_hold_control_characters_as_text(tmp_path: Path, capsys):
    out = tmp_path / "ket-qua"
    assert main(["validate", "--data", str(forms_with_escapes(tmp_path)), "--by-unit", str(out)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    # the unit's own workbook, and the general one: this register alone is not a data set (E-NO-FORM)
    assert sorted(p.name for p in out.iterdir()) == ["kiem-tra-chung.xlsx", "kiem-tra-xa-ia-chim.xlsx"]
    sheet = load_workbook(out / "kiem-tra-xa-ia-chim.xlsx").active
    assert sheet["B4"].value == "E-STATUS" and "\\x1b[2J\\x1b]0;pwned\\x07Đang duy trì" in sheet["H4"].value


def test_a_non_utf8_path_in_a_message_is_printed_as_bytes(tmp_path: Path, capsys):
    missing = tmp_path / __import__("os").fsdecode(b"d\xf4-li\xea\xf5")
    assert main(["validate", "--data", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "d\\xf4-li\\xea\\xf5" in err and "Traceback" not in err


def test_result_folders_that_cannot_serve_are_usage_errors(tmp_path: Path, capsys):
    data = forms_with_escapes(tmp_path)
    a_file = tmp_path / "tep.txt"
    a_file.write_text("x", encoding="utf-8")
    for option, path, message in (("--by-unit", a_file, "là một tệp, không phải thư mục"),
                                  ("--processed", a_file / "con", "là một tệp, không phải thư mục"),
                                  ("--by-unit", data / "ket-qua", "không được là thư mục số liệu")):
        assert main(["validate", "--data", str(data), option, str(path)]) == 2
        err = capsys.readouterr().err
        assert message in err and option in err and "Traceback" not in err
    assert sorted(p.name for p in data.iterdir()) == ["Bieu02.csv"]


def test_sample_data_into_a_file_is_a_usage_error(tmp_path: Path, capsys):
    a_file = tmp_path / "tep.txt"
    a_file.write_text("x", encoding="utf-8")
    assert main(["sample-data", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert "thư mục biểu mẫu" in err and "là một tệp" in err and a_file.read_text(encoding="utf-8") == "x"
