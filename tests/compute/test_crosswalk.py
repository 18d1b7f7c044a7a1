"""The 2025 reorganisation: unit history, crosswalk validation, reaggregation, models, placement.

Expected values are written by hand from Nghị quyết 1677/NQ-UBTVQH15 (Điều 1, khoản 49-51 and
88-90) and from the small frames below.
"""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.compute.crosswalk import assign_new_units, reaggregate
from analysis.compute.indicators import Definition, compute_indicators, value_of
from analysis.errors import UsageError
from analysis.maps import load_crosswalk, map_for_year, map_in_force, place_unit, reference_date
from analysis.reference import load_unit_history, load_units
from analysis.vocabulary import COUNT_FIELDS as FORM01_FIELDS

OLD_CODES = ["23281", "23284", "23287", "23290", "23293", "23296", "23299", "23302", "23305", "23308", "23311",
             "23314", "23317", "23320", "23323", "23326", "23327", "23329", "23332", "23335", "23338"]
NEW = {"23293": "Phường Kon Tum", "23284": "Phường Đăk Cấm", "23302": "Phường Đăk Bla", "23317": "Xã Ngọk Bay",
       "23326": "Xã Ia Chim", "23332": "Xã Đăk Rơ Wa"}
RATE = Definition("changed_mindset_rate", "Tỉ lệ", "Tỉ lệ", ("changed_mindset",), "households", 100.0, "%", 1)


def form01(rows):
    """rows: (unit_code, year, households, changed_mindset, poor); the other counts are 0."""
    records = []
    for code, year, households, changed, poor in rows:
        counts = dict.fromkeys(FORM01_FIELDS, 0) | {"households": households, "changed_mindset": changed, "poor": poor}
        records.append({"unit_code": code, "unit_name": "", "year": year, **counts,
                        "source_file": "Bieu01.xlsx", "source_sheet": "Biểu 01", "source_row": 9})
    return pd.DataFrame(records).astype({f: "Int64" for f in FORM01_FIELDS} | {"year": "int64"})


def crosswalk_file(tmp_path: Path, edit) -> Path:
    lines = config.CROSSWALK_FILE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "crosswalk.csv"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


# --- reference data --------------------------------------------------------------------------------

def test_load_units_without_arguments_is_still_the_21_units_of_2021_2023():
    units = load_units()
    assert list(units.columns) == ["code", "name", "type", "aliases", "full_name", "slug"]
    assert list(units["code"]) == OLD_CODES
    assert list(units.index) == list(range(21))
    blà = units.iloc[14]
    assert (blà["name"], blà["type"], blà["full_name"], blà["slug"]) == ("Đắk Blà", "xã", "Xã Đắk Blà", "xa-dak-bla")
    assert blà["aliases"] == ("Đăk Bla", "Đắk Bla", "Dak Bla")
    assert units.iloc[4]["full_name"] == "Phường Thắng Lợi"


def test_load_units_on_a_date_gives_the_map_in_force():
    assert list(load_units(on=date(2025, 6, 30))["code"]) == OLD_CODES
    new = load_units(on=date(2025, 7, 1))
    assert dict(zip(new["code"], new["full_name"])) == NEW
    assert list(new["type"]) == ["phường", "phường", "phường", "xã", "xã", "xã"]


def test_history_keeps_both_units_of_a_reused_code():
    history = load_unit_history()
    assert len(history) == 27
    code_23293 = history[history["code"] == "23293"]
    assert list(code_23293["full_name"]) == ["Phường Thắng Lợi", "Phường Kon Tum"]
    assert [None if pd.isna(d) else d.date() for d in code_23293["valid_to"]] == [date(2025, 6, 30), None]
    assert [None if pd.isna(d) else d.date() for d in code_23293["valid_from"]] == [None, date(2025, 7, 1)]


def test_a_code_used_twice_at_the_same_time_is_refused(tmp_path: Path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,type,aliases,valid_from,valid_to\n"
                    "23293,Thắng Lợi,phường,,,2025-06-30\n"
                    "23293,Kon Tum,phường,,2025-06-01,\n", encoding="utf-8")
    with pytest.raises(UsageError, match="dòng 2 và dòng 3: mã 23293 dùng cho hai đơn vị"):
        load_unit_history(path)


# --- the crosswalk ---------------------------------------------------------------------------------

def test_crosswalk_maps_every_old_unit_once_as_the_resolution_says():
    crosswalk = load_crosswalk()
    mapping = dict(zip(crosswalk["old_code"], crosswalk["new_code"]))
    assert sorted(mapping) == OLD_CODES
    assert mapping == {
        "23281": "23293", "23287": "23293", "23290": "23293", "23293": "23293", "23299": "23293",
        "23284": "23284", "23296": "23284", "23311": "23284",
        "23302": "23302", "23305": "23302", "23308": "23302",
        "23314": "23317", "23317": "23317", "23320": "23317",
        "23326": "23326", "23327": "23326", "23329": "23326",
        "23323": "23332", "23332": "23332", "23335": "23332", "23338": "23332",
    }
    assert mapping["23323"] != "23302"  # xã Đắk Blà goes to xã Đăk Rơ Wa, not to phường Đăk Bla
    assert crosswalk["whole_unit"].all()
    assert {d.date() for d in crosswalk["effective"]} == {date(2025, 7, 1)}
    assert set(crosswalk["resolution"]) == {"1677/NQ-UBTVQH15"}


def test_an_old_unit_mapped_twice_is_an_error(tmp_path: Path):
    path = crosswalk_file(tmp_path, lambda lines: [*lines, "23323,Đắk Blà,23302,Đăk Bla,có,2025-07-01,1677/NQ-UBTVQH15,"])
    with pytest.raises(UsageError) as error:
        load_crosswalk(path)
    assert error.value.exit_code == 2
    assert f"{path}, các dòng 19, 23: đơn vị cũ 23323 được chuyển 2 lần (sang 23332, 23302)" in str(error.value)


def test_an_unknown_code_is_an_error_naming_the_file_line_and_value(tmp_path: Path):
    path = crosswalk_file(tmp_path, lambda lines: [line.replace("23338,Hòa Bình", "23399,Hòa Bình") for line in lines])
    with pytest.raises(UsageError) as error:
        load_crosswalk(path)
    assert str(error.value) == (f"Bảng chuyển đổi đơn vị {path} có 1 lỗi:\n"
                                f"{path}, dòng 22, cột old_code: mã «23399» không có trong danh sách đơn vị (units.csv).")


def test_a_missing_old_unit_is_an_error(tmp_path: Path):
    path = crosswalk_file(tmp_path, lambda lines: [line for line in lines if not line.startswith("23338,")])
    with pytest.raises(UsageError, match=r"thiếu đơn vị cũ Xã Hòa Bình \(23338\), hết hiệu lực ngày 30/6/2025 \(units.csv, dòng 22\)"):
        load_crosswalk(path)


def test_a_code_on_the_wrong_side_of_the_date_is_an_error(tmp_path: Path):
    # 23335 is the old xã Đắk Rơ Wa, no longer valid on 1/7/2025 (the new xã Đăk Rơ Wa is 23332).
    path = crosswalk_file(tmp_path, lambda lines: [line.replace("23338,Hòa Bình,23332,Đăk Rơ Wa", "23338,Hòa Bình,23335,")
                                                   for line in lines])
    with pytest.raises(UsageError, match=r"dòng 22, cột new_code: mã 23335 không phải là đơn vị có hiệu lực ngày 1/7/2025"):
        load_crosswalk(path)


def test_an_inconsistent_effective_date_is_an_error(tmp_path: Path):
    path = crosswalk_file(tmp_path, lambda lines: [line.replace("2025-07-01", "2025-08-01") if line.startswith("23338,")
                                                   else line for line in lines])
    with pytest.raises(UsageError, match=r"dòng 22, cột old_code: mã 23338 không phải là đơn vị còn hiệu lực ngày 31/7/2025"):
        load_crosswalk(path)


def test_a_name_that_is_not_the_codes_name_is_an_error(tmp_path: Path):
    # The trap: the old xã Đắk Blà written against phường Đăk Bla's name but xã Đăk Rơ Wa's code.
    path = crosswalk_file(tmp_path, lambda lines: [line.replace("23323,Đắk Blà,23332,Đăk Rơ Wa", "23323,Đắk Blà,23332,Đăk Bla")
                                                   for line in lines])
    with pytest.raises(UsageError, match=r"dòng 19, cột new_name: «Đăk Bla» không phải là tên của mã 23332 \(Xã Đăk Rơ Wa\)"):
        load_crosswalk(path)


# --- maps by year ----------------------------------------------------------------------------------

def test_years_up_to_2024_use_the_old_map_and_2025_the_new_one():
    assert reference_date(2024) == date(2024, 12, 31)
    assert len(map_for_year(2023)) == 21
    assert len(map_for_year(2024)) == 21
    assert sorted(map_for_year(2025)["code"]) == sorted(NEW)
    assert len(map_for_year(2025, as_of=date(2025, 6, 15))) == 21  # a mid-2025 review is still on the old map
    assert list(map_in_force(date(2025, 7, 1))["full_name"]) == list(NEW.values())


# --- reaggregation -----------------------------------------------------------------------------------

def test_old_units_are_summed_onto_the_new_ones_and_code_23293_is_read_by_year():
    data = form01([
        # 2024, old map: the five wards of Phường Kon Tum (23293 is Thắng Lợi here).
        ("23281", 2024, 100, 90, 5), ("23287", 2024, 200, 150, 4), ("23290", 2024, 300, 240, 3),
        ("23293", 2024, 400, 360, 2), ("23299", 2024, 500, 400, 1),
        # 2025, new map: 23293 is Phường Kon Tum itself.
        ("23293", 2025, 1520, 1400, 12),
    ])
    result = reaggregate(data, load_crosswalk())
    assert list(result["unit_code"]) == ["23293", "23293"]
    assert list(result["unit_name"]) == ["Phường Kon Tum", "Phường Kon Tum"]
    assert list(result["year"]) == [2024, 2025]
    assert list(result["households"]) == [1500, 1520]  # 100 + 200 + 300 + 400 + 500
    assert list(result["changed_mindset"]) == [1240, 1400]  # 90 + 150 + 240 + 360 + 400
    assert list(result["poor"]) == [15, 12]
    assert list(result["members"]) == ["23281; 23287; 23290; 23293; 23299", "23293"]
    assert list(result["complete"]) == [True, True]


def test_old_commune_dak_bla_goes_to_dak_ro_wa_not_to_the_ward_dak_bla():
    data = form01([
        ("23323", 2024, 10, 5, 1), ("23332", 2024, 20, 10, 1), ("23335", 2024, 30, 15, 1), ("23338", 2024, 40, 20, 1),
        ("23302", 2024, 7, 7, 0), ("23305", 2024, 8, 8, 0), ("23308", 2024, 9, 9, 0),
    ])
    result = reaggregate(data, load_crosswalk()).set_index("unit_code")
    assert result.loc["23332", "households"] == 100  # 10 + 20 + 30 + 40, Đắk Blà included
    assert result.loc["23332", "members"] == "23323; 23332; 23335; 23338"
    assert result.loc["23302", "households"] == 24  # 7 + 8 + 9, no Đắk Blà
    assert result.loc["23302", "unit_name"] == "Phường Đăk Bla"


def test_a_missing_count_or_a_missing_member_makes_the_sum_missing():
    data = form01([("23326", 2024, 100, 50, None), ("23327", 2024, 200, 100, 3), ("23329", 2024, 300, 150, 4),
                   ("23314", 2024, 10, 1, 1), ("23317", 2024, 20, 2, 2)])  # Vinh Quang (23320) missing
    result = reaggregate(data, load_crosswalk()).set_index("unit_code")
    assert result.loc["23326", "households"] == 600
    assert result.loc["23326", "poor"] is pd.NA  # missing in Ia Chim: not 3 + 4
    assert bool(result.loc["23326", "complete"])
    assert result.loc["23317", "households"] is pd.NA  # not 10 + 20
    assert result.loc["23317", "changed_mindset"] is pd.NA
    assert result.loc["23317", "members_missing"] == "23320"
    assert not result.loc["23317", "complete"]


def test_rates_of_a_new_unit_are_recomputed_from_the_sums_not_averaged():
    data = form01([("23302", 2024, 100, 90, 0), ("23305", 2024, 300, 30, 0), ("23308", 2024, 100, 80, 0)])
    result = compute_indicators(reaggregate(data, load_crosswalk()), {"r": RATE}, city_code="608")
    # (90 + 30 + 80) / (100 + 300 + 100) = 200 / 500 = 40%, not the mean of 90%, 10% and 80% (60%).
    assert value_of(result, "changed_mindset_rate", 2024, "23302") == pytest.approx(40.0)


def test_a_code_not_on_its_years_map_is_refused():
    data = form01([("23335", 2025, 10, 5, 1)])  # the old xã Đắk Rơ Wa in 2025
    with pytest.raises(UsageError, match=r"^Bieu01.xlsx › Biểu 01 › dòng 9: mã đơn vị 23335 \(năm 2025\) không thuộc "
                                         r"danh sách đơn vị ngày 31/12/2025\.$"):
        reaggregate(data, load_crosswalk())


# --- models -----------------------------------------------------------------------------------------

def test_models_get_their_new_unit_and_keep_their_unit_of_origin():
    models = pd.DataFrame({
        "model_name": ["Nuôi bò", "Dệt thổ cẩm", "Trồng mì", "Nuôi cá"],
        "unit_code": ["23323", "23293", "23293", "23311"],
        "unit_name": ["Xã Đắk Blà", "Phường Thắng Lợi", "Phường Kon Tum", "Xã Đắk Cấm"],
        "year_built": [2022, 2024, 2025, 2021],
    })
    result = assign_new_units(models, load_crosswalk())
    assert list(result["unit_code"]) == ["23332", "23293", "23293", "23284"]
    assert list(result["unit_name"]) == ["Xã Đăk Rơ Wa", "Phường Kon Tum", "Phường Kon Tum", "Phường Đăk Cấm"]
    assert list(result["origin_unit_code"]) == ["23323", "23293", "23293", "23311"]
    assert list(result["origin_unit_name"]) == ["Xã Đắk Blà", "Phường Thắng Lợi", "Phường Kon Tum", "Xã Đắk Cấm"]
    assert list(models["unit_code"]) == ["23323", "23293", "23293", "23311"]  # the argument is not changed


# --- a unit named in a form ---------------------------------------------------------------------------

def test_an_old_unit_named_for_2025_gets_its_new_unit():
    placement = place_unit("Xã Đắk Blà", 2025)
    assert not placement.ok
    assert (placement.unit_code, placement.unit_name) == ("23323", "Xã Đắk Blà")
    assert placement.should_be == (("23332", "Xã Đăk Rơ Wa"),)
    assert placement.message == ("Xã Đắk Blà (23323) không còn từ ngày 1/7/2025 (Nghị quyết 1677/NQ-UBTVQH15): "
                                 "số liệu năm 2025 ghi cho xã Đăk Rơ Wa (23332).")


def test_a_new_unit_named_for_2024_lists_the_old_units_it_was_formed_from():
    placement = place_unit("Phường Đăk Cấm", 2024)
    assert not placement.ok
    assert placement.unit_code == "23284"
    assert placement.should_be == (("23284", "Phường Duy Tân"), ("23296", "Phường Ngô Mây"), ("23311", "Xã Đắk Cấm"))
    assert placement.message == ("Phường Đăk Cấm (23284) chỉ có từ ngày 1/7/2025: số liệu năm 2024 ghi riêng cho "
                                 "từng đơn vị cũ: phường Duy Tân (23284), phường Ngô Mây (23296), xã Đắk Cấm (23311).")


def test_a_unit_on_its_years_map_is_accepted_and_a_reused_code_follows_the_year():
    old, new = place_unit("Thắng Lợi", 2024), place_unit("Kon Tum", 2025)
    assert (old.ok, old.unit_code, old.unit_name) == (True, "23293", "Phường Thắng Lợi")
    assert (new.ok, new.unit_code, new.unit_name) == (True, "23293", "Phường Kon Tum")
    assert place_unit("Ia Chim", 2024).unit_name == "Xã Ia Chim"
    unknown = place_unit("Không có", 2025)
    assert (unknown.ok, unknown.unit_code, unknown.message) == (False, None, None)  # the reader's unknown-unit error


def test_a_tolerant_matcher_does_not_turn_the_old_commune_into_the_new_ward():
    def fold(units, name):  # what a tolerant reader does: no prefix, no tone marks
        key = name.lower().replace("xã ", "").replace("phường ", "").replace("à", "a").replace("ắ", "ă")
        for code, unit_name in zip(units["code"], units["name"]):
            if unit_name.lower().replace("à", "a").replace("ắ", "ă") == key:
                return code
        return None

    commune = place_unit("Xã Đắk Blà", 2025, match=fold)  # the prefix says xã: the old commune
    assert (commune.ok, commune.should_be) == (False, (("23332", "Xã Đăk Rơ Wa"),))
    ward = place_unit("Đăk Bla", 2025, match=fold)  # no prefix: the new ward, with a note
    assert (ward.ok, ward.unit_code) == (True, "23302")
    assert ward.note == ("«Đăk Bla» được hiểu là phường Đăk Bla (23302); tên này cũng là của xã Đắk Blà cũ "
                         "(23323), nay thuộc xã Đăk Rơ Wa: kiểm tra lại.")
