"""What the reader could not get past (a file, a sheet, a header, cells nobody reads) as findings."""

from __future__ import annotations

from analysis.check.findings import Findings
from analysis.formatting import fmt_int
from analysis.read import Problem
from analysis.vocabulary import field_header

YEAR_UNKNOWN = {"what": "không xác định được năm của số liệu (không có cột “Năm”, tên trang tính, tên tệp hay "
                        "dòng tiêu đề nào ghi năm)",
                "todo": "Thêm cột “Năm”, hoặc ghi năm vào tên trang tính hoặc tên tệp (ví dụ Bieu01_2022.xlsx)."}


def _text(p: Problem) -> dict:
    text = dict(p.values)
    if p.code == "E-COLUMN":
        found = "; ".join(f"“{h}”" for h in text.get("found", [])) or "(không có)"
        if text.get("missing"):
            names = ", ".join(f"“{field_header(f, p.values['form'])}”" for f in text["missing"])
            return {"what": f"Biểu {text['form']} thiếu cột {names}", "found": found}
        return {"what": "không tìm thấy dòng tiêu đề cột của Biểu 01 hoặc Biểu 02", "found": found}
    if p.code == "E-YEAR-UNKNOWN":
        return YEAR_UNKNOWN
    if p.code in ("E-FORMULA", "E-UNREAD"):
        return {**text, "count": fmt_int(text["count"])}
    return text


def report_problems(problems: list[Problem], findings: Findings) -> None:
    for p in problems:
        findings.add(p.code, file=p.file, sheet=p.sheet, cell=p.cell, row=p.row, field=p.field, text=_text(p),
                     values={k: v for k, v in p.values.items() if isinstance(v, (str, int, float))})
