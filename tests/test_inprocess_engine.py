"""The in-process papermill engine behaves like a kernel for what the report needs."""

from pathlib import Path

import nbformat
import papermill
import pytest

from analysis.errors import UsageError
from analysis.inprocess_engine import ENGINE_NAME


def notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1  # a parameter", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path


def run(source: Path, output: Path, **parameters):
    return papermill.execute_notebook(str(source), str(output), parameters=parameters, engine_name=ENGINE_NAME,
                                      kernel_name="python3", progress_bar=False)


def test_parameters_displays_and_prints_become_outputs(tmp_path: Path):
    source = notebook(tmp_path / "a.ipynb", "from IPython.display import HTML, display\n"
                                            "display(HTML(f'<p>x = {x}</p>'))\nprint('xong')")
    result = run(source, tmp_path / "out.ipynb", x=41)
    outputs = result.cells[-1].outputs
    assert [o.output_type for o in outputs] == ["stream", "display_data"]
    assert outputs[0].text == "xong\n" and outputs[1].data["text/html"] == "<p>x = 41</p>"
    assert "x = 41" in "".join(result.cells[1].source)  # papermill's injected parameters cell


def test_each_run_starts_from_an_empty_namespace(tmp_path: Path):
    run(notebook(tmp_path / "a.ipynb", "leftover = 5"), tmp_path / "a-out.ipynb")
    with pytest.raises(papermill.PapermillExecutionError) as error:
        run(notebook(tmp_path / "b.ipynb", "print(leftover)"), tmp_path / "b-out.ipynb")
    assert error.value.ename == "NameError"


def test_an_analysis_error_keeps_its_type(tmp_path: Path):
    source = notebook(tmp_path / "a.ipynb", "from analysis.errors import UsageError\nraise UsageError('thiếu mục')")
    with pytest.raises(UsageError, match="thiếu mục"):
        run(source, tmp_path / "out.ipynb")


def test_the_command_s_main_module_is_kept_for_a_process_pool_spawned_later(tmp_path: Path, monkeypatch):
    import sys
    import types

    mine = types.ModuleType("__main__")
    mine.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", mine)
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.clear_instance()  # the first notebook of a process creates the shell
    run(notebook(tmp_path / "a.ipynb", "y = x + 1"), tmp_path / "out.ipynb")
    assert sys.modules["__main__"] is mine


def test_a_png_is_stored_as_base64_text_as_a_kernel_stores_it(tmp_path: Path):
    import base64

    source = notebook(tmp_path / "a.ipynb", "from IPython.display import Image, display\n"
                                            "display(Image(data=b'\\x89PNG\\r\\n\\x1a\\n' + bytes(8)))")
    (output,) = run(source, tmp_path / "out.ipynb").cells[-1].outputs
    assert base64.b64decode(output.data["image/png"]) == b"\x89PNG\r\n\x1a\n" + bytes(8)



def test_the_command_writes_an_executed_notebook_once_with_the_failing_cells_error(tmp_path: Path, monkeypatch):
    """Papermill writes a notebook before and after each cell for a kernel that may die; the
    command's notebooks run in its process (run_notebook): the notebook is written once, when the
    run stops, with every cell's outputs, the failing one's error, and nothing from the cells after it."""
    import papermill.engines
    import papermill.execute

    from analysis.errors import RenderError
    from analysis.publish.notebooks import run_notebook

    writes = []
    original = papermill.execute.write_ipynb

    def counted(nb, path):
        writes.append(path)
        return original(nb, path)

    monkeypatch.setattr(papermill.execute, "write_ipynb", counted)
    monkeypatch.setattr(papermill.engines, "write_ipynb", counted)
    source = notebook(tmp_path / "a.ipynb", "print('một')", "print('hai')", "print('ba')", "1 / 0", "print('không chạy')")
    output = tmp_path / "out.ipynb"
    with pytest.raises(RenderError, match="ZeroDivisionError"):
        run_notebook(source, output, {"x": 2}, "sổ thử")
    assert writes == [str(output)]
    shown = {cell.source: cell.outputs for cell in nbformat.read(output, as_version=4).cells if cell.cell_type == "code"}
    assert [o.text for source in ("print('một')", "print('hai')", "print('ba')") for o in shown[source]] == [
        "một\n", "hai\n", "ba\n"]
    assert [o.ename for o in shown["1 / 0"] if o.output_type == "error"] == ["ZeroDivisionError"]
    assert shown["print('không chạy')"] == []
