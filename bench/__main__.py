"""`make bench` / `python -m bench [--cases a,b,c,d] [--repeats N]`.

(a) the city report (HTML + PDF) by `python -m analysis report` against the chain a user would
    script on the same notebook and parameters: papermill CLI, nbconvert --no-input, weasyprint CLI;
(b) the same report against executing the report notebook alone with papermill (the floor);
(c) `--unit all` (22 reports) against 22 single runs one after another;
(d) validate the 50.000-row synthetic sets (10.000 units x 5 years, and a small register), CSV and xlsx;
(h) validate a register of 550.000 models (form 02 at the documented limits) with its form 01, CSV and xlsx;
(e) a re-run with nothing changed (the record says every report is up to date) against a full run;
(f) `--unit all` after two edits, each against the full batch on the same forms: one model of Ia
    Chim renamed in Biểu 02 (no report prints it: only the notebooks and companion files that show
    it are written), and one cooperative-member count of Ia Chim in Biểu 01 (every report prints the
    area's total: each is made again);
(g) a synthetic province of 100 units (its own units.csv and forms, under ANALYSIS_ROOT, as (d)):
    `--unit all --format html,pdf` (101 reports) against the area's single report on the same forms.
Contenders alternate, after a warm-up ((c) and (f): none, each round is long); medians, ratios,
peak memory and the machine are printed and appended to bench/RESULTS.md. (e) and (f) run at least
MIN_ROUNDS rounds whatever --repeats says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import ROOT, Contender, append_results, compare, format_case, machine_description

BIN = Path(sys.executable).parent
NOTEBOOK = "notebooks/04_bao_cao.ipynb"
# `report` runs these with the report notebook and keeps them executed (04 first, then 01-03); a
# contender of cases (a) and (b) executes them too, so that both sides do the same work.
ANALYSIS = ["notebooks/01_lam_sach_va_kiem_tra.ipynb", "notebooks/02_xu_huong.ipynb", "notebooks/03_mo_hinh.ipynb"]
PYTHON = sys.executable
# (e) and (f) compare a short command with a long one: one run each says little on a shared machine,
# so they always get at least this many side-by-side rounds, alternating which goes first.
MIN_ROUNDS = 3


def ours(*extra: str):
    return lambda out: [[PYTHON, "-m", "analysis", "report", "--out", str(out), *extra]]


def _papermill(notebook: str, executed: Path) -> list[str]:
    # "python3": the kernel of the interpreter papermill runs in (this venv), the same one the notebooks'
    # kontum-analysis kernel names, and there even where `make` has not installed that kernel.
    return [str(BIN / "papermill"), notebook, str(executed), "-k", "python3", "-p", "unit", "608", "-p", "period",
            "2021-2023", "--no-progress-bar"]


def plain_chain(out: Path):
    """What a user would script for the same files: each notebook through papermill (a kernel each,
    each reading the forms), the report notebook and the three analysis notebooks to HTML without
    code (ours renders 01-03 into the companion file), the report's HTML to PDF."""
    notebook, page = out / "bao-cao.ipynb", out / "bao-cao.html"
    analysis = [out / Path(path).name for path in ANALYSIS]
    return [
        *(_papermill(path, executed) for path, executed in zip(ANALYSIS, analysis)),
        _papermill(NOTEBOOK, notebook),
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(notebook), "--output-dir", str(out)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", *map(str, analysis), "--output-dir", str(out)],
        # nbconvert's page links scripts on a CDN; with no internet here, WeasyPrint would wait for
        # them without end, so the chain gets a 2-second fetch timeout (its most favourable setting).
        [str(BIN / "weasyprint"), "--timeout", "2", str(page), str(out / "bao-cao.pdf")],
    ]


def notebook_only(out: Path):
    """The floor: executing the four notebooks with papermill, nothing rendered."""
    return [_papermill(path, out / Path(path).name) for path in [*ANALYSIS, NOTEBOOK]]


def sequential_units(out: Path):
    from analysis.reference import load_units

    return [[PYTHON, "-m", "analysis", "report", "--out", str(out), "--unit", code]
            for code in ["city", *load_units()["code"]]]


class Prepared:
    """Reports made once, untimed, that a contender copies into its scratch folder before its
    timed command runs (the commands callable runs before the clock starts)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[str, Path] = {}

    def data(self) -> Path:
        """The sample forms saved once more (no longer the bundled sample: see tests/test_incremental.py)."""
        import openpyxl

        data = self.folder / "data"
        if not data.exists():
            shutil.copytree(ROOT / "data" / "raw", data)
            openpyxl.load_workbook(data / "Bieu02_MoHinh.xlsx").save(data / "Bieu02_MoHinh.xlsx")
        return data

    def reports(self, *extra: str) -> Path:
        key = " ".join(extra)
        if key not in self.made:
            out = self.folder / f"reports-{len(self.made)}"
            subprocess.run([PYTHON, "-m", "analysis", "report", "--data", str(self.data()), "--out", str(out), *extra],
                           cwd=ROOT, check=True, capture_output=True)
            self.made[key] = out
        return self.made[key]

    def changed_data(self, scratch: Path, edit: str = "households") -> Path:
        """A copy of the forms with one edit: "households" (one model's households of Phường Quang
        Trung), "rename" (one model of Xã Ia Chim renamed) or "count" (Ia Chim's cooperative members
        of the last year, one more)."""
        import openpyxl

        data = scratch / "data"
        shutil.copytree(self.data(), data)
        if edit == "count":
            path = data / "Bieu01_2023.xlsx"
            workbook = openpyxl.load_workbook(path)
            row = next(r for r in workbook.active.iter_rows() if any("Ia Chim" in str(c.value) for c in r))
            header = next(r for r in workbook.active.iter_rows() if any("HTX" in str(c.value) for c in r))
            column = next(i for i, c in enumerate(header) if "HTX" in str(c.value))
            row[column].value = int(row[column].value or 0) + 1
        else:
            path = data / "Bieu02_MoHinh.xlsx"
            workbook = openpyxl.load_workbook(path)
            unit = "Xã Ia Chim" if edit == "rename" else "Phường Quang Trung"
            row = next(r for r in workbook.active.iter_rows(min_row=8) if r[2].value == unit)
            if edit == "rename":
                row[1].value = f"{row[1].value} (đổi tên)"
            else:
                row[5].value = (row[5].value or 0) + 1
        workbook.save(path)
        return data

    def rerun(self, *extra: str):
        def commands(out: Path):
            shutil.copytree(self.reports(*extra), out / "reports")
            return [[PYTHON, "-m", "analysis", "report", "--data", str(self.data()), "--out", str(out / "reports"),
                     *extra]]
        return commands

    def one_form_changed(self, *extra: str, edit: str = "households"):
        """The reports made from a data folder, then one form of that same folder edited (as an office
        edits its forms in place: the notebooks show their data folder, so a copy elsewhere is another
        input), and the command run again."""
        def commands(out: Path):
            made = self.folder / f"edited-{edit}"
            if not (made / "reports").exists():  # once, untimed: the reports of the forms before the edit
                shutil.copytree(self.data(), made / "data")
                subprocess.run([PYTHON, "-m", "analysis", "report", "--data", str(made / "data"), "--out",
                                str(made / "reports"), *extra], cwd=ROOT, check=True, capture_output=True)
            shutil.rmtree(made / "data")
            self.changed_data(made, edit)  # the same folder, the forms as before, then the one edit
            shutil.copytree(made / "reports", out / "reports")
            return [[PYTHON, "-m", "analysis", "report", "--data", str(made / "data"), "--out", str(out / "reports"),
                     *extra]]
        return commands

    def full(self, *extra: str, changed: bool = False, edit: str = "households"):
        def commands(out: Path):
            data = self.changed_data(out, edit) if changed else self.data()
            return [[PYTHON, "-m", "analysis", "report", "--data", str(data), "--out", str(out / "reports"), *extra]]
        return commands


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--cases", default="a,b,c,d,e,f,g,h")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--against", type=Path, metavar="CHECKOUT",
                        help="(d), (h): also run the same validation with the package of another checkout (for "
                             "example main), side by side")
    args = parser.parse_args()
    cases = set(args.cases.split(","))
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    sections = [f"## {dt.datetime.now():%Y-%m-%d %H:%M}\n\nMachine: {machine_description()}\n"]
    print(sections[0])

    def run_case(title, contenders, baseline, goal, repeats=args.repeats, warmup=1):
        print(f"### {title}")
        results = compare(contenders, scratch=scratch / title[:2], repeats=repeats, warmup=warmup)
        text = format_case(title, results, baseline=baseline, goal=goal)
        print(text)
        sections.append(text)

    if "a" in cases:
        run_case("(a) city report, HTML + PDF, against the plain papermill + nbconvert + weasyprint chain",
                 [Contender("analysis report", ours()), Contender("plain chain", plain_chain)],
                 baseline="plain chain", goal="analysis report <= 0,25 x the plain chain")
    if "b" in cases:
        run_case("(b) city report, HTML + PDF, against executing the report notebook alone",
                 [Contender("analysis report", ours()), Contender("papermill only", notebook_only)],
                 baseline="papermill only", goal="analysis report <= 1,1 x the notebook's own execution")
    if "c" in cases:
        run_case("(c) 22 reports: --unit all against 22 single runs one after another",
                 [Contender("--unit all", ours("--unit", "all")), Contender("22 single runs", sequential_units)],
                 baseline="22 single runs", goal="--unit all <= 0,6 x sequential on 2 cores",
                 repeats=max(1, args.repeats - 1), warmup=0)
    def validations(name: str, folder: Path, *arguments: str) -> list[Contender]:
        """Ours, and the same run with the package of `--against` (its own bench.validate_run)."""
        ours_run = Contender(f"validate {name}", lambda out: [[PYTHON, "-m", "bench.validate_run", str(folder),
                                                                *arguments]])
        if args.against is None:
            return [ours_run]
        other = args.against.resolve()
        path = f"PYTHONPATH={other / 'src'}:{other}"
        return [ours_run, Contender(f"{other.name}: validate {name}", lambda out: [
            ["env", path, PYTHON, "-m", "bench.validate_run", str(folder), *arguments]])]

    if "d" in cases:
        from bench.synthetic import write

        csv_dir, xlsx_dir, _ = write(scratch / "synthetic")
        for name, folder in (("CSV", csv_dir), ("xlsx", xlsx_dir)):
            run_case(f"(d) validate 50.000 rows of form 01 ({name}, 10.000 units x 5 years)",
                     validations(name, folder, "10000"), baseline=f"validate {name}", goal="< 5 s, < 500 MB")
    if "h" in cases:
        from bench.synthetic import write_register

        csv_dir, xlsx_dir, _ = write_register(scratch / "register")
        for name, folder in (("CSV", csv_dir), ("xlsx", xlsx_dir)):
            run_case(f"(h) validate a register of 550.000 models ({name}; 1.000 units, their form 01 for 5 years)",
                     validations(name, folder, "1000", "550000"), baseline=f"validate {name}", goal="< 1 GB",
                     repeats=max(1, args.repeats - 2), warmup=0)
    prepared = Prepared(scratch / "prepared")
    if "e" in cases:
        run_case("(e) city report, HTML + PDF: a re-run with nothing changed against a full run",
                 [Contender("unchanged re-run", prepared.rerun()), Contender("full run", prepared.full())],
                 baseline="full run", goal="unchanged re-run <= 0,1 x a full run, writes nothing",
                 repeats=max(MIN_ROUNDS, args.repeats))
    if "f" in cases:
        run_case("(f) --unit all after one model of Ia Chim renamed or one count changed, against the full batch",
                 [Contender("model renamed", prepared.one_form_changed("--unit", "all", edit="rename")),
                  Contender("one count", prepared.one_form_changed("--unit", "all", edit="count")),
                  Contender("full batch", prepared.full("--unit", "all", changed=True, edit="count"))],
                 baseline="full batch", goal="model renamed <= 0,05 x the full batch (no report made again); "
                 "one count: every report that prints it made again, and only those",
                 repeats=max(MIN_ROUNDS, args.repeats), warmup=0)
    if "g" in cases:
        from bench.synthetic import write_province

        root, forms = write_province(scratch / "province")

        def province(*extra: str):
            return lambda out: [["env", f"ANALYSIS_ROOT={root}", PYTHON, "-m", "analysis", "report", "--data",
                                 str(forms), "--out", str(out / "reports"), "--format", "html,pdf", *extra]]

        run_case("(g) a synthetic province of 100 units: --unit all (101 reports, HTML + PDF) against the area's report",
                 [Contender("101 reports", province("--unit", "all")), Contender("area's report", province())],
                 baseline="area's report", goal="101 reports <= 6 x the area's report, peak < 1 GB",
                 repeats=max(1, args.repeats), warmup=0)
    append_results("\n".join(sections))
    print(f"Appended to {ROOT / 'bench' / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
