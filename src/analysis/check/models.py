"""Form 02: each model row against the catalogues and the period; totals and subtotal rows of the
register (a count of models, a sum of households) against the models they close."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis.check.common import shown, signed
from analysis.check.findings import Findings
from analysis.check.rules import Rules
from analysis.formatting import fmt_int
from analysis.read import Reading
from analysis.read.numbers import parse_count, parse_year
from analysis.read.units import fold_key
from analysis.reference import load_statuses
from analysis.vocabulary import form02_fields, status_label

CLEAN = ["model_name", "unit_code", "unit_name", "sector", "year_built", "households", "status", "year_stopped",
         "notes", "source_file", "source_sheet", "source_row"]


def status_maps() -> tuple[dict[str, str], dict[str, str]]:
    raw = load_statuses()
    statuses = {fold_key(a): code for code, s in raw["statuses"].items() for a in (s["label"], *s["aliases"])}
    sectors = {fold_key(a): code for code, s in raw["sectors"].items() for a in (s["label"], *s["aliases"])}
    return statuses, sectors


@lru_cache(maxsize=4096)
def _year_of(raw) -> int | None:
    value = parse_year(raw).value
    return None if value is None else int(value)


def _year(raw) -> int | None:
    """A year as typed, parsed once per distinct value (a register types the same few years)."""
    try:
        return _year_of(raw)
    except TypeError:  # not hashable: never from a cell, but never a traceback either
        value = parse_year(raw).value
        return None if value is None else int(value)


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _value(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


@dataclass
class _Row:
    """One model row being checked: its values as typed, where they are, and what was found."""

    values: dict
    file: str
    sheet: str
    row: int
    unit: tuple[str, str]
    where: tuple[Reading, int, bool]   # the reading, the table, whether it is a CSV: to name a cell
    errors: int = 0
    households: int | None = None      # as read, whatever else is wrong with the row

    def cell(self, field: str) -> str:
        reading, table, is_csv = self.where
        return reading.address(table, 0, field, "text", self.row, is_csv)


class _ModelCheck:
    def __init__(self, reading: Reading, period: tuple[int, int], rules: Rules, findings: Findings):
        self.reading, self.findings = reading, findings
        self.start, self.report_year = period
        self.statuses, self.sectors = status_maps()
        self.labels = {f.id: f.header for f in form02_fields()}
        self.limit = rules.setting("E-TOO-LARGE", "max")
        self.known = ", ".join(status_label(s) for s in dict.fromkeys(self.statuses.values()))
        self._codes: dict = {}  # (catalogue, text as typed) -> code: a register types a few words many times

    def code_of(self, catalogue: dict[str, str], text) -> str | None:
        key = (id(catalogue), text)
        if key not in self._codes:
            self._codes[key] = catalogue.get(fold_key(text or ""))
        return self._codes[key]

    def bad(self, m: _Row, field: str, code: str, what: str, todo: str = "", **values) -> None:
        m.errors += self.findings.rules.severity(code) == "error"
        own = (what, todo) if todo and code == "E-STATUS" else None  # its own what-to-do, not the catalogue's
        self.findings.add(code, file=m.file, sheet=m.sheet, cell=m.cell(field), row=m.row,
                          column=self.labels.get(field, ""), unit_code=m.unit[0] or "", unit_name=m.unit[1] or "",
                          field=field, text={"what": what, "todo": todo}, values=values, message=own)

    def check(self, m: _Row) -> tuple | None:
        v = m.values
        name = _text(v.get("model_name"))
        if not name:
            self.bad(m, "model_name", "E-STATUS", "dòng mô hình không ghi tên mô hình")
        status = self.code_of(self.statuses, v.get("status"))
        if status is None:
            self.bad(m, "status", "E-STATUS", f"tình trạng “{_text(v.get('status'))}” không có trong danh mục "
                     f"({self.known})", status=v.get("status"))
        sector = self.code_of(self.sectors, v.get("sector"))
        if sector is None:
            self.bad(m, "sector", "E-STATUS", f"lĩnh vực “{_text(v.get('sector'))}” không có trong danh mục",
                     sector=v.get("sector"))
        built = self._built(m)
        stopped = self._stopped(m, name, status, built)
        households = self._households(m)
        if not m.unit[0] or m.errors:
            return None
        notes = v.get("notes")
        return (name, m.unit[0], m.unit[1], sector, built, households, status, stopped,
                None if notes in (None, "") else str(notes), m.file, m.sheet, m.row)

    def _built(self, m: _Row) -> int | None:
        built = _year(m.values.get("year_built"))
        if built is None:
            self.bad(m, "year_built", "E-YEAR-UNKNOWN", "thiếu hoặc sai năm xây dựng", "Ghi năm xây dựng (ví dụ 2022).")
        elif not (self.start <= built <= self.report_year):
            self.bad(m, "year_built", "E-YEAR-PERIOD",
                     f"năm xây dựng {built} nằm ngoài kỳ {self.start}–{self.report_year}", "Kiểm tra lại năm xây dựng.",
                     year_built=built)
        return built

    def _stopped(self, m: _Row, name: str, status: str | None, built: int | None) -> int | None:
        raw = m.values.get("year_stopped")
        stopped = _year(raw)
        if raw not in (None, "") and stopped is None and str(raw).strip() not in ("-", "–"):
            self.bad(m, "year_stopped", "E-YEAR-UNKNOWN", f"năm ngừng ghi “{_text(raw)}”, không phải là năm",
                     "Ghi năm (ví dụ 2022).")
        if not status or built is None:
            return stopped
        y = self.report_year
        if status == "new" and built < y:
            self.bad(m, "status", "E-STATUS-YEAR", f"mô hình “{name}” ghi “{status_label('new')}” nhưng xây dựng năm "
                     f"{built}, trước năm báo cáo {y}",
                     f"“{status_label('new')}” chỉ dùng cho mô hình xây dựng trong năm báo cáo: sửa tình trạng "
                     "hoặc năm.",
                     status=m.values.get("status"), year_built=built)
        if status == "stopped" and stopped is None:
            self.bad(m, "year_stopped", "E-STATUS-YEAR", f"mô hình “{name}” ngừng hoạt động nhưng không ghi năm ngừng",
                     "Ghi năm ngừng hoạt động.", year_built=built)
        elif status == "stopped" and stopped is not None and (stopped < built or stopped > y):
            self.bad(m, "year_stopped", "E-STATUS-YEAR", f"mô hình “{name}”: năm ngừng {stopped} phải từ năm xây dựng "
                     f"{built} đến năm báo cáo {y}", "Sửa năm ngừng hoặc năm xây dựng.",
                     year_built=built, year_stopped=stopped)
        elif status != "stopped" and stopped is not None:
            self.bad(m, "year_stopped", "E-STATUS-YEAR", f"mô hình “{name}” ghi năm ngừng {stopped} nhưng tình trạng "
                     f"là “{_text(m.values.get('status'))}”",
                     f"Xóa năm ngừng, hoặc sửa tình trạng thành “{status_label('stopped')}”.", year_stopped=stopped)
        return stopped

    def _households(self, m: _Row) -> int | None:
        raw = m.values.get("households")
        parsed = parse_count(raw)
        value = parsed.value
        code = parsed.error
        if code is None and value is not None:
            value = int(value)
            code = "E-TOO-LARGE" if value > self.limit else ("E-NEGATIVE" if value < 0 else None)
        if code:
            m.errors += 1
            self.findings.add(code, file=m.file, sheet=m.sheet, cell=m.cell("households"), row=m.row,
                              column=self.labels["households"], unit_code=m.unit[0] or "", unit_name=m.unit[1] or "",
                              field="households", text={"label": "Số hộ tham gia mô hình", "shown": shown(raw),
                                                        "max": fmt_int(self.limit)},
                              values={"value": raw if not isinstance(raw, float) else float(raw)})
            return None
        if value is None or value < 1:
            self.bad(m, "households", "E-STATUS", "số hộ tham gia mô hình phải từ 1 trở lên", "Ghi số hộ tham gia.",
                     value=value)
            m.households = 0 if value == 0 else None
            return None
        m.households = int(value)
        return int(value)


def check_models(models: pd.DataFrame, reading: Reading, units, period: tuple[int, int], rules: Rules,
                 findings: Findings) -> pd.DataFrame:
    """The clean frame of the valid models; every problem of a model row is a located finding;
    totals and subtotal rows checked against the models they close."""
    checker = _ModelCheck(reading, period, rules, findings)
    fields = [f.id for f in form02_fields() if f.id != "unit"]
    columns = {f: models[f].tolist() for f in (*fields, "table", "file", "sheet", "row", "kind", "is_csv")}
    out: list[tuple] = []
    households: dict[int, int | None] = {}
    for i, kind in enumerate(columns["kind"]):
        if kind != "model":
            continue
        m = _Row({f: _value(columns[f][i]) for f in fields}, columns["file"][i], columns["sheet"][i],
                 int(columns["row"][i]), (units.codes[i], units.names[i]),
                 (reading, columns["table"][i], bool(columns["is_csv"][i])))
        clean = checker.check(m)
        households[i] = m.households
        if clean:
            out.append(clean)
    check_register_totals(models, households, findings)
    return pd.DataFrame.from_records(out, columns=CLEAN)


def check_register_totals(models: pd.DataFrame, households: dict[int, int | None], findings: Findings) -> None:
    """A closing line "Tổng cộng: 211 mô hình | … | 1.234": its count of models and its households
    against the model rows of its table (a subtotal: of its group, above it)."""
    kinds, tables, groups, rows = (models[c].tolist() for c in ("kind", "table", "group", "row"))
    for i in [i for i, kind in enumerate(kinds) if kind in ("total", "subtotal")]:
        scope = [j for j in households if tables[j] == tables[i] and
                 (kinds[i] == "total" or (groups[j] == groups[i] and rows[j] < rows[i]))]
        label = " ".join(str(models["label"].iat[i]).split())
        where = dict(file=models["file"].iat[i], sheet=models["sheet"].iat[i], row=int(rows[i]))
        reported = models["reported_count"].iat[i]
        if reported is not None and not pd.isna(reported) and int(reported) != len(scope):
            findings.add("W-TOTALS", **where, text={"what": f"dòng “{label}”", "label": "số mô hình",
                                                    "reported": fmt_int(reported), "members": "các dòng mô hình",
                                                    "computed": fmt_int(len(scope)),
                                                    "difference": signed(int(reported) - len(scope))},
                         values={"reported": int(reported), "computed": len(scope)})
        value = parse_count(_value(models["households"].iat[i])).value
        if value is None or any(households[j] is None for j in scope):
            continue  # an unreadable model's households: its error is the cause, not the total
        computed = sum(households[j] or 0 for j in scope)
        if value != computed:
            findings.add("W-TOTALS", **where, text={"what": f"dòng “{label}”", "label": "số hộ tham gia",
                                                    "reported": fmt_int(value), "members": "các mô hình",
                                                    "computed": fmt_int(computed),
                                                    "difference": signed(value - computed)},
                         values={"reported": value, "computed": computed})
