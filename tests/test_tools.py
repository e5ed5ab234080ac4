"""tools/notebooks.py: `make check` and `make seeds` report the failing assert of a notebook."""
import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tools = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tools)


def tiny_notebook(tmp_path, code):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "00_tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_check_names_the_failing_assert_and_passes_the_seed(tmp_path):
    path = tiny_notebook(tmp_path, "import os\nseed = int(os.environ['COURSE_SEED'])\n"
                                   "assert seed != 3, f'claim fails for seed {seed}'")
    seconds, error = tools.check(path, seed=2)
    assert error is None and seconds > 0
    _, error = tools.check(path, seed=3)
    assert error.startswith("`assert seed != 3, f'claim fails for seed {seed}'`")
    assert error.endswith("AssertionError: claim fails for seed 3")
    assert "COURSE_SEED" not in tools.os.environ  # restored for the next notebook
