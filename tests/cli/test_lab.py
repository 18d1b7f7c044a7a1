"""`python -m analysis lab`: the notebooks' kernel installed into the environment the command runs in,
JupyterLab opened at the project root on notebooks/. The conda-style path (no make) is played by a
fresh virtual environment that sees the project's packages, as `conda env create` + `pip install -e .`
would give it, and runs only the README's non-make lines."""

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import GUARD_SECONDS

from analysis import config
from analysis.cli.lab import install_kernel

NOTEBOOKS = sorted(p.name for p in config.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_kernel_is_this_interpreter_under_the_environment_prefix(tmp_path: Path):
    folder = install_kernel(prefix=str(tmp_path))
    assert folder == tmp_path / "share" / "jupyter" / "kernels" / "kontum-analysis"
    spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][0] == sys.executable and "ipykernel_launcher" in spec["argv"]
    assert spec["display_name"] == "Python (báo cáo sơ kết)" and spec["language"] == "python"
    # Run again (an environment rebuilt): the same spec, refreshed, no second kernel.
    install_kernel(prefix=str(tmp_path))
    assert [p.name for p in (tmp_path / "share" / "jupyter" / "kernels").iterdir()] == ["kontum-analysis"]


@pytest.fixture(scope="module")
def fresh_environment(tmp_path_factory) -> Path:
    """A new environment with no kernel of its own, seeing the project's installed packages (the
    conda environment of the README, without the minutes of a real install). Returns its python."""
    folder = tmp_path_factory.mktemp("env") / "moi truong"  # a space in the path, as on Windows
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib, "project-packages.pth").write_text(f"import site; site.addsitedir({ours!r})\n", encoding="utf-8")
    kernels = folder / "share" / "jupyter" / "kernels"
    assert not kernels.exists()
    return python


def _in(python: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    return subprocess.run([str(python), *args], cwd=config.ROOT, capture_output=True, text=True, env=env,
                          timeout=GUARD_SECONDS * 3, **kwargs)


@pytest.mark.slow
def test_the_readme_path_without_make_installs_the_kernel_and_papermill_finds_it(fresh_environment: Path, tmp_path):
    done = _in(fresh_environment, "-m", "analysis", "lab", "--kernel-only")
    assert done.returncode == 0, done.stderr
    assert "Đã cài nhân “Python (báo cáo sơ kết)” (kontum-analysis)" in done.stdout
    specs = json.loads(_in(fresh_environment, "-c", "import json; from jupyter_client.kernelspec import "
                           "KernelSpecManager as M; print(json.dumps(M().get_all_specs()))").stdout)
    spec = specs["kontum-analysis"]
    assert Path(spec["resource_dir"]).is_relative_to(fresh_environment.parent.parent)
    assert spec["spec"]["argv"][0] == str(fresh_environment)
    # papermill, as the README runs it, starts the kernel the notebooks name: this environment's python.
    notebook = tmp_path / "which.ipynb"
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": "import sys, analysis\nprint(sys.executable)"}],
        "metadata": {"kernelspec": {"name": "kontum-analysis", "display_name": "x", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    ran = _in(fresh_environment, "-m", "papermill", str(notebook), str(tmp_path / "out.ipynb"), "--no-progress-bar")
    assert ran.returncode == 0, ran.stderr
    cells = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[0]["outputs"][0]["text"]).strip() == str(fresh_environment)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.skipif(not any((Path(p) / "jupyterlab").is_dir() for p in sys.path if p),
                    reason="JupyterLab is not installed (pip install -e \".[dev,lab]\")")
def test_lab_opens_at_the_project_root_on_the_notebooks_with_the_project_kernel(fresh_environment: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    process = subprocess.Popen([str(fresh_environment), "-m", "analysis", "lab", "--no-browser", "--allow-root",
                                f"--port={port}"], cwd=config.ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        while not (found := re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=(\w+)", lines.get(timeout=GUARD_SECONDS))):
            pass
        token = found.group(1)

        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy

        def api(path: str) -> dict:
            with direct.open(f"http://127.0.0.1:{port}/api/{path}?token={token}", timeout=GUARD_SECONDS) as r:
                return json.load(r)

        for _ in range(GUARD_SECONDS * 10):  # the address is printed a moment before the server listens
            try:
                api("status")
                break
            except urllib.error.URLError:
                threading.Event().wait(0.1)
        kernel = api("kernelspecs")["kernelspecs"]["kontum-analysis"]["spec"]
        assert kernel["argv"][0] == str(fresh_environment) and kernel["display_name"] == "Python (báo cáo sơ kết)"
        assert {c["name"] for c in api("contents")["content"]} >= {"data", "notebooks", "src"}  # the project root
        assert sorted(c["name"] for c in api("contents/notebooks")["content"]) == NOTEBOOKS
    except Exception:
        while not lines.empty():
            print(lines.get(), end="")
        raise
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=GUARD_SECONDS)
