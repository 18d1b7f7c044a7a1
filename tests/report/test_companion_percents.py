"""The companion's table of typed percent columns (analysis.report.companion.reported_percent_rows):
each typed rate recomputed from the counts of its own row, a totals row's from the sums of its sheet.
Expected values are worked out by hand from the rows below."""

from types import SimpleNamespace

import pandas as pd

from analysis.report.companion import reported_percent_rows
from analysis.vocabulary import AREA_CODE, field_label

FILE, SHEET = "Bieu01_2022.xlsx", "Biểu 01"


def _computed(percents: list[tuple]) -> SimpleNamespace:
    form01 = pd.DataFrame({
        "unit_code": ["A", "B", "C", "A"],
        "year": [2022, 2022, 2022, 2023],
        "households": pd.array([200, 100, 50, 210], dtype="Int64"),
        "changed_mindset": pd.array([150, 40, None, 168], dtype="Int64"),
        "source_file": [FILE, FILE, FILE, "Bieu01_2023.xlsx"],
        "source_sheet": [SHEET] * 4,
    })
    reported = pd.DataFrame(percents, columns=["unit_code", "year", "field", "value", "decimals", "source_file",
                                               "source_sheet", "cell"])
    dataset = SimpleNamespace(form01=form01, reported_percents=reported)

    def rows_of(frame, code):
        return frame if code == AREA_CODE else frame[frame["unit_code"] == code]

    return SimpleNamespace(dataset=dataset, rows_of=rows_of, owners={})


PERCENTS = [
    ("A", 2022, "changed_mindset", 75.0, 1, FILE, SHEET, "F9"),      # 150 / 200 = 75 %: agrees
    ("B", 2022, "changed_mindset", 45.0, 0, FILE, SHEET, "F10"),     # 40 / 100 = 40 %: differs
    ("C", 2022, "changed_mindset", 10.0, 0, FILE, SHEET, "F11"),     # no count typed: not checked
    ("", 2022, "changed_mindset", 63.3, 1, FILE, SHEET, "F12"),      # the sheet: 190 / 350 = 54,29 %: differs
    ("A", 2023, "changed_mindset", 80.0, 0, "Bieu01_2023.xlsx", SHEET, "F9"),  # 168 / 210 = 80 %: agrees
]
NAMES = {"A": "Xã A", "B": "Xã B", "C": "Xã C"}


def test_a_units_report_lists_every_rate_it_could_check():
    rows, checked = reported_percent_rows(_computed(PERCENTS), unit_code="A", names=NAMES)
    label = field_label("changed_mindset")
    assert checked == 2
    assert rows == [
        ("Xã A", "2022", label, f"{FILE} › {SHEET} › ô F9", "75,0%", "75,000%", "Khớp"),
        ("Xã A", "2023", label, f"Bieu01_2023.xlsx › {SHEET} › ô F9", "80%", "80,00%", "Khớp"),
    ]


def test_the_areas_report_lists_only_the_rates_that_differ():
    rows, checked = reported_percent_rows(_computed(PERCENTS), unit_code=AREA_CODE, names=NAMES)
    label = field_label("changed_mindset")
    # checked: A 2022, B, the totals row, A 2023 (C has no count of changed households)
    assert checked == 4
    assert rows == [
        ("Xã B", "2022", label, f"{FILE} › {SHEET} › ô F10", "45%", "40,00%", "Khác"),
        # the totals row: households 200 + 100 + 50 = 350, changed 150 + 40 = 190 (C's is missing)
        ("Dòng tổng cộng", "2022", label, f"{FILE} › {SHEET} › ô F12", "63,3%", "54,286%", "Khác"),
    ]


def test_no_rows_no_table():
    assert reported_percent_rows(_computed([]), unit_code=AREA_CODE, names=NAMES) == ([], 0)
