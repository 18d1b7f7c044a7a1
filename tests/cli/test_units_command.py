"""`python -m analysis units`: the units of a map with codes and names, old → new; one code looked
up; the notebooks' and `report`'s "wrong unit" messages name the units of the right map. Expected
names written from data/reference/units.csv and crosswalk.csv (the merger of 1/7/2025)."""

from datetime import date

import pytest

from analysis.cli import main
from analysis.errors import UsageError
from analysis.publish.selection import unit_codes
from analysis.reference import load_units
from analysis.report import explore
from analysis.unit_list import code_lines, map_lines


def test_the_2025_map_lists_its_six_units_and_the_old_units_each_took_in():
    lines = map_lines(2025)
    assert lines[0] == "Bản đồ đơn vị của biểu năm 2025 (từ 1/7/2025): 6 đơn vị của Thành phố Kon Tum (mã 608)"
    by_code = {line.split()[0]: line for line in lines[1:]}
    assert list(by_code) == ["23293", "23284", "23302", "23317", "23326", "23332"]
    assert "Phường Kon Tum" in by_code["23293"] and by_code["23293"].endswith(
        "← 23281 Phường Quang Trung, 23287 Phường Quyết Thắng, 23290 Phường Trường Chinh, 23293 Phường Thắng Lợi, "
        "23299 Phường Thống Nhất")
    assert by_code["23284"].endswith("← 23284 Phường Duy Tân, 23296 Phường Ngô Mây, 23311 Xã Đắk Cấm")
    assert by_code["23332"].endswith("← 23323 Xã Đắk Blà, 23332 Xã Chư Hreng, 23335 Xã Đắk Rơ Wa, 23338 Xã Hòa Bình")


def test_the_2023_map_lists_the_21_old_units_under_their_names_of_that_time():
    lines = map_lines(2023)
    assert lines[0].startswith("Bản đồ đơn vị của biểu năm 2023 (đến 30/6/2025): 21 đơn vị")
    names = dict(line.split(None, 1) for line in lines[1:])
    assert len(names) == 21 and "←" not in "".join(lines)
    assert names["23284"] == "Phường Duy Tân" and names["23293"] == "Phường Thắng Lợi"
    assert names["23332"] == "Xã Chư Hreng" and names["23311"] == "Xã Đắk Cấm"


def test_a_code_of_the_old_map_says_which_new_unit_it_is_now_part_of():
    assert code_lines("23281", 2025) == [
        "23281 không có trên bản đồ của biểu năm 2025.",
        "  23281 là Phường Quang Trung (đến 30/6/2025); từ 1/7/2025 nhập vào 23293 Phường Kon Tum "
        "(Nghị quyết 1677/NQ-UBTVQH15)."]
    # a reused code: Duy Tân on the old map, Đăk Cấm on the new one
    assert code_lines("23284", 2023) == ["23284: Phường Duy Tân (đến 30/6/2025), trên bản đồ của biểu năm 2023.",
                                         "  23284 là Phường Đăk Cấm (từ 1/7/2025)."]
    assert code_lines("99999", 2025) is None


def test_the_command_prints_them_and_an_unknown_code_exits_2(capsys):
    assert main(["units", "--map", "2025", "--unit", "23281"]) == 0
    assert "nay" not in capsys.readouterr().err
    assert main(["units", "--map", "2025"]) == 0
    assert "23293  Phường Kon Tum" in capsys.readouterr().out
    assert main(["units", "--unit", "99999"]) == 2
    assert "không có đơn vị nào mang mã “99999”" in capsys.readouterr().err


@pytest.mark.parametrize("period, listed, absent", [
    ("2021-2023", ["23284 (Phường Duy Tân)", "23293 (Phường Thắng Lợi)", "23332 (Xã Chư Hreng)", "23311 (Xã Đắk Cấm)"],
     ["Đăk Cấm)", "Phường Kon Tum"]),
    ("2021-2025", ["23284 (Phường Đăk Cấm)", "23293 (Phường Kon Tum)", "23332 (Xã Đăk Rơ Wa)"],
     ["Duy Tân", "Chư Hreng", "Thắng Lợi"]),
])
def test_the_notebooks_wrong_unit_lists_the_units_of_the_periods_map(period, listed, absent):
    with pytest.raises(explore.StopNotebook) as stopped:
        explore.check_unit("12345", period)
    message = str(stopped.value)
    assert all(item in message for item in listed), message
    assert not [item for item in absent if item in message], message
    names = [part.split(" (", 1)[1] for part in message.split("Các mã hợp lệ: ")[1].rstrip(".").split("; ")]
    assert len(names) == len(set(names))  # no unit twice


def test_report_names_the_unit_an_old_code_went_into():
    with pytest.raises(UsageError) as refused:
        unit_codes(["23281"], load_units(on=date(2025, 12, 31)))
    message = str(refused.value)
    assert "mã 23281 là Phường Quang Trung đến 30/6/2025, nay thuộc 23293 (Phường Kon Tum)" in message
    assert "23332 (Xã Đăk Rơ Wa)" in message and "…" not in message
