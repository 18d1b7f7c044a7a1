"""What each report of a run reads from the checked data, and what each of its analyst's notebooks
reads, as digests (analysis.incremental: the record's `data`, and the notebooks' inputs that
decide whether a notebook runs again: analysis.publish.cutoff).

`ReportInputs` computes them for every report of a run at once: the rows of each frame are split by
the unit they feed in one pass (Computed.feeds), each row hashed once (SHA-256 of its typed values),
and what every report shares (the area's indicators, the findings) is hashed once; a run of a
hundred units' reports thus does not read each frame a hundred times.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from analysis.incremental import digest
from analysis.vocabulary import AREA_CODE

MODEL_NAME = "model_name"  # the column of a model's name (form 02), which notebook 03 does not show


def unnamed(models):
    """The models without their names: notebook 03 counts models (by year, status, sector, unit) and
    never lists one by name (tests/test_cutoff.py renames a model: that notebook must stay as it is)."""
    return models.drop(columns=[MODEL_NAME], errors="ignore")


class ReportInputs:
    """The digests of what the reports of one checked data set (`computed`) read, by unit code."""

    def __init__(self, computed):
        self.computed = computed
        self._memo: dict[tuple, object] = {}

    def _once(self, key: tuple, make: Callable[[], object]):
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def _frame(self, name: str):
        """A frame of the data set ("dataset.models") or of the computed figures ("models"), the
        models without their names for "unnamed …"."""
        if name.startswith("unnamed "):
            return self._once(("frame", name), lambda: unnamed(self._frame(name.removeprefix("unnamed "))))
        owner = self.computed.dataset if name.startswith("dataset.") else self.computed
        return getattr(owner, name.removeprefix("dataset."))

    def _whole(self, name: str) -> str:
        """Every row of a frame, as the area's report and notebooks read it."""
        return self._once(("whole", name), lambda: self._frame(name).to_csv(index=False))

    def _row_digests(self, name: str) -> list[bytes]:
        """The SHA-256 of each row: each value with its type, as repr writes it (so -0.0 is not 0.0,
        1 is not 1.0 nor "1", a missing value is not an empty text); repr escapes every control
        character, so the separator cannot occur inside a value."""
        def digests() -> list[bytes]:
            return [hashlib.sha256("\x1f".join(f"{type(value).__qualname__}:{value!r}" for value in row)
                                   .encode("utf-8", "surrogatepass")).digest()
                    for row in self._frame(name).itertuples(index=False, name=None)]
        return self._once(("rows", name), digests)

    def _positions(self, name: str, by: str, year: str) -> dict[str, list[int]]:
        """The positions of the rows of a frame by unit: the unit they feed (`by` "feeds", on the
        reports' map: Computed.rows_of) or the unit they name (`by` "own")."""
        def split() -> dict[str, list[int]]:
            frame = self._frame(name)
            units = self.computed.feeds(frame, year=year) if by == "feeds" else frame["unit_code"]
            found: dict[str, list[int]] = {}
            for position, unit in enumerate(units):
                found.setdefault(unit, []).append(position)
            return found
        return self._once(("positions", name, by, year), split)

    def _rows(self, name: str, code: str, *, by: str = "feeds", year: str = "year", with_no_unit: bool = False) -> str:
        """The rows of a frame that feed the report of `code` (see _positions; `with_no_unit`: and the
        rows about no unit), as a digest of their columns and of each row."""
        positions = self._positions(name, by, year)
        chosen = positions.get(code, [])
        if with_no_unit and code != "":
            chosen = sorted([*chosen, *positions.get("", [])])
        frame = self._frame(name)
        header = repr([(str(column), str(dtype)) for column, dtype in frame.dtypes.items()])
        rows = self._row_digests(name)
        return digest([header, hashlib.sha256(b"".join(rows[position] for position in chosen)).hexdigest()])

    def data(self, code: str) -> str:
        """What the report of `code` reads from the checked data (see analysis.incremental's docstring)."""
        return self._once(("data", code), lambda: self._data(code))

    def _data(self, code: str) -> str:
        # lazy: the report stage (pandas) is loaded only once the forms are checked
        from analysis.report.companion import is_sample  # noqa: PLC0415

        computed = self.computed
        sources = computed.dataset.sources
        if code == AREA_CODE:
            return digest(["area", sources[["file", "sha256", "bytes"]].to_csv(index=False)])
        shared = self._once(("shared data",), lambda: [
            computed.indicators[computed.indicators["unit_code"] == AREA_CODE].to_csv(index=False),
            computed.falls[computed.falls["unit_code"] == AREA_CODE].to_csv(index=False),
            is_sample(sources), len(sources)])
        regrouped = ([self._rows("form01", code, by="own"), self._rows("models", code, by="own")]
                     if computed.regrouped else [])
        return digest(["unit", code, self._rows("dataset.form01", code),
                       self._rows("dataset.models", code, year="year_built"),
                       self._rows("dataset.reported_percents", code),
                       self._rows("dataset.warnings", code, with_no_unit=True),
                       *shared, *regrouped])

    def notebooks(self, code: str, parameters: str) -> dict[str, str]:
        """What each analyst's notebook (01-03) of the report of `code` reads, by the notebook's stem:
        the run's parameters and renderer (`parameters`: Plan.parameters), the unit and the rows it
        shows. Conservative: a notebook whose inputs are unchanged shows the same; one whose inputs
        changed is run again, and written only when what it shows changed (analysis.publish.cutoff)."""
        from analysis.check.findings_report import summary_line  # noqa: PLC0415 (lazy: see _data)

        computed, area = self.computed, code == AREA_CODE
        dataset = computed.dataset
        common = [parameters, code, repr(dataset.period), repr(getattr(computed, "mid_years", None)),
                  repr(computed.area)]
        shared = self._once(("shared notebooks",), lambda: [
            summary_line(dataset), dataset.findings.to_csv(index=False),
            computed.indicators.to_csv(index=False), computed.falls.to_csv(index=False)])
        summary, findings, indicators, falls = shared
        models = (self._whole("unnamed dataset.models") if area
                  else self._rows("unnamed dataset.models", code, year="year_built"))
        own_models = self._whole("unnamed models") if area else self._rows("unnamed models", code, by="own")
        return {
            "01_lam_sach_va_kiem_tra": digest([*common, "01", summary, self.data(code), findings]),
            "02_xu_huong": digest([*common, "02", indicators, falls]),
            "03_mo_hinh": digest([*common, "03", models, own_models]),
        }
