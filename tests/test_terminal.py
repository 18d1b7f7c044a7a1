import os

from analysis.terminal import visible, xml_safe


def test_control_characters_are_written_out_not_executed():
    assert visible("Đang\x1b[2J duy trì\x07") == "Đang\\x1b[2J duy trì\\x07"
    assert visible("a\r\nb\tc\x9b") == "a\\x0d\\x0ab\\x09c\\x9b"
    assert visible("tên\u202eexe.txt") == "tên\\u202eexe.txt"  # a right-to-left override
    assert visible("dòng 1\ndòng 2\x1b", keep_newlines=True) == "dòng 1\ndòng 2\\x1b"
    assert visible("Xã Ia Chim — 12.291 hộ") == "Xã Ia Chim — 12.291 hộ"


def test_bytes_of_a_non_utf8_file_name_are_shown_as_bytes():
    name = os.fsdecode(b"Bieu02_M\xf4Hinh.csv")
    assert visible(name) == "Bieu02_M\\xf4Hinh.csv"
    assert visible(name).encode("utf-8")  # printable on any UTF-8 terminal


def test_xml_safe_keeps_tab_and_newline_and_writes_out_the_rest():
    assert xml_safe("a\tb\nc\x1b\x00d") == "a\tb\nc\\x1b\\x00d"
