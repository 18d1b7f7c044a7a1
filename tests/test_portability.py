"""The Windows way on this machine: worker processes spawned (ANALYSIS_START_METHOD=spawn, the
only method Windows has) and a project folder, data folder and output folder whose names have
spaces and Vietnamese letters, as in "C:\\Users\\Phòng Tổng hợp\\Báo cáo sơ kết".

The packages (the product and the sample generator), the data and the notebook are copied into
such a folder and run from there, so config.ROOT, the fonts, the templates and the sample's own
data files all live under it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import samples
from analysis import config
from analysis.processes import START_METHOD_VARIABLE, context

CITY = "bao-cao-so-ket-2021-2023-thanh-pho-kon-tum"
CITY_CHECK = "kiem-tra-so-lieu-2021-2023-thanh-pho-kon-tum.html"  # the analyst's companion file
IA_CHIM = "bao-cao-so-ket-2021-2023-xa-ia-chim"
QUANG_TRUNG = "bao-cao-so-ket-2021-2023-phuong-quang-trung"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("windows") / "Phòng Tổng hợp" / "Báo cáo sơ kết"
    for package in (config.PACKAGE_DIR, Path(samples.__file__).parent):
        shutil.copytree(package, root / "src" / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("raw", "reference", "narrative"):
        shutil.copytree(config.DATA_DIR / folder, root / "data" / folder)
    (root / "notebooks").mkdir()
    for notebook in config.NOTEBOOKS_DIR.glob("0[1-4]_*.ipynb"):  # report runs all four
        shutil.copy(notebook, root / "notebooks")
    shutil.copy(config.ROOT / "mail.example.yaml", root / "mail.yaml")
    return root


def run(project: Path, *args: str, start_method: str = "spawn") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ANALYSIS_ROOT"}
    env.update(PYTHONPATH=str(project / "src"), **{START_METHOD_VARIABLE: start_method})
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=project, timeout=600)


def test_the_start_method_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    assert context().get_start_method() == "spawn"
    monkeypatch.delenv(START_METHOD_VARIABLE)
    import multiprocessing

    assert context().get_start_method() == multiprocessing.get_start_method()


def test_an_unknown_start_method_is_a_usage_error(project: Path):
    result = run(project, "report", "--out", str(project / "không dùng"), start_method="windows")
    assert result.returncode == 2, result.stderr
    assert "ANALYSIS_START_METHOD=windows" in result.stderr and "spawn" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # real commands in a copy of the project
def test_sample_data_and_validate_in_folders_with_vietnamese_names(project: Path):
    result = run(project, "validate")  # the project's own data/raw
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 lỗi, 3 cảnh báo trong 5 tệp. Không có lỗi: có thể lập báo cáo."
    sample = project / "dữ liệu mẫu"
    result = run(project, "sample-data", "--out", str(sample))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:-1] == [str(sample / name) for name in (
        "Bieu01_2020.xlsx", "Bieu01_2021.xlsx", "Bieu01_2022.xlsx", "Bieu01_2023.xlsx", "Bieu02_MoHinh.xlsx")]
    result = run(project, "validate", "--data", str(sample), "--by-unit", str(project / "kết quả kiểm tra"))
    assert result.returncode == 0, result.stderr
    assert len(list((project / "kết quả kiểm tra").glob("*.xlsx"))) > 0


def trail(stem: str) -> list[str]:
    """The executed notebooks kept beside a report, and the checked data set they re-run on (one per period)."""
    kept = stem.removeprefix("bao-cao-so-ket-")
    return [*(f"so-phan-tich-{kept}-{name}.ipynb"
              for name in ("01-lam-sach-va-kiem-tra", "02-xu-huong", "03-mo-hinh", "04-bao-cao")),
            f"so-phan-tich-{kept[:9]}-so-lieu.zip"]


@pytest.mark.slow
def test_single_report_with_spawned_pdf_worker(project: Path):
    result = run(project, "report")  # default output: reports/ in the project folder
    assert result.returncode == 0, result.stderr
    out = project / "reports"
    assert result.stdout.split("\n")[:-1] == [str(out / f"{CITY}.html"), str(out / f"{CITY}.pdf"), str(out / CITY_CHECK)]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out / f"{CITY}.pdf").pages).split())
    assert "Đắk Blà" in text and "THÀNH ỦY KON TUM" in text
    assert sorted(p.name for p in out.iterdir() if p.name != ".ban-ghi.json") == sorted(
        [f"{CITY}.html", f"{CITY}.pdf", CITY_CHECK, *trail(CITY)])  # no staging left


@pytest.mark.slow
def test_batch_of_two_units_on_a_spawned_pool_then_send_dry_run(project: Path):
    data, out = project / "dữ liệu gốc", project / "Kết quả gửi đi"
    shutil.copytree(project / "data" / "raw", data)
    result = run(project, "report", "--unit", "23326", "23281", "--workers", "2", "--format", "html,pdf,eml",
                 "--data", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    expected = sorted([*(str(out / f"{stem}.{suffix}") for stem in (IA_CHIM, QUANG_TRUNG) for suffix in ("html", "pdf", "eml")),
                       *(str(out / f"kiem-tra-so-lieu-{stem.removeprefix('bao-cao-so-ket-')}.html")
                         for stem in (IA_CHIM, QUANG_TRUNG))])
    assert sorted(result.stdout.split("\n")[:-1]) == expected
    assert "Xã Ia Chim" in (out / f"{IA_CHIM}.html").read_text(encoding="utf-8")
    assert "Phường Quang Trung" in (out / f"{QUANG_TRUNG}.html").read_text(encoding="utf-8")
    result = run(project, "send", str(out / f"{IA_CHIM}.eml"), "--config", str(project / "mail.yaml"),
                 "--to", "lanhdao@example.vn")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Người nhận: lanhdao@example.vn"
    assert f"Đính kèm: {IA_CHIM}.pdf" in result.stdout
    assert lines[-1] == "Chạy thử: chưa gửi. Thêm --yes để gửi."


@pytest.mark.slow
def test_a_batch_on_one_worker_makes_every_pdf(project: Path):
    out = project / "một tiến trình"
    result = run(project, "report", "--unit", "23326", "23281", "--workers", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != ".ban-ghi.json") == sorted(
        {*(f"{stem}.{suffix}" for stem in (IA_CHIM, QUANG_TRUNG) for suffix in ("html", "pdf")),
         *(f"kiem-tra-so-lieu-{stem.removeprefix('bao-cao-so-ket-')}.html" for stem in (IA_CHIM, QUANG_TRUNG)),
         *trail(IA_CHIM), *trail(QUANG_TRUNG)})  # one data set for the period's two reports
