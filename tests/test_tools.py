"""tools/notebooks.py: `make check` and `make seeds` report the failing assert; `make bench` writes the headers."""
import importlib.util
import json
import re
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


def test_run_time_line_states_an_upper_bound_from_the_measurement():
    assert tools.run_time_line(5.4).startswith("**Run time:** under 10 s on 2 CPU cores")
    assert "under 30 s" in tools.run_time_line(30.0) and "under 45 s" in tools.run_time_line(30.1)
    assert "under 1 minute " in tools.run_time_line(54.5)
    assert "under 2 minutes" in tools.run_time_line(100)
    assert "about 7 minutes" in tools.run_time_line(400)


def test_set_run_time_rewrites_only_the_header_line(tmp_path):
    path = tiny_notebook(tmp_path, "x = 1")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# 00 · Tiny\n\n**Run time:** about 1 minute.\n\nText."))
    nbformat.write(nb, path)
    tools.set_run_time(path, 12.0)
    header = nbformat.read(path, as_version=4).cells[0].source
    assert header == "# 00 · Tiny\n\n" + tools.run_time_line(12.0) + "\n\nText."
    nb.cells[0].source = "# 00 · Tiny, no header line"
    nbformat.write(nb, path)
    try:
        tools.set_run_time(path, 12.0)
    except ValueError as e:
        assert "Run time" in str(e) and "00_tiny.ipynb" in str(e)
    else:
        raise AssertionError("a header without a Run time line must be refused")


def test_check_names_the_notebook_line_of_a_failing_np_testing_call(tmp_path):
    path = tiny_notebook(tmp_path, "import numpy as np\nnp.testing.assert_allclose(1.001, 1.0, rtol=1e-6)")
    _, error = tools.check(path)
    assert error.startswith("`np.testing.assert_allclose(1.001, 1.0, rtol=1e-6)`: "), error
    assert "AssertionError: " in error and "Not equal to tolerance" in error, error


def test_headers_state_the_measured_run_time():
    """Each notebook's "**Run time:**" line is the one `make bench` wrote from bench/results.md."""
    results = (ROOT / "bench" / "results.md").read_text()
    measured = {name: float(s) for name, s in re.findall(r"^\| (\d\d_\w+\.ipynb) \| ([\d.]+) \|", results, re.M)}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        header = "".join(json.loads(path.read_text())["cells"][0]["source"])
        assert tools.run_time_line(measured[path.name]) in header.splitlines(), (
            f"{path.name}: the Run time line does not state bench/results.md's {measured[path.name]} s; "
            "run `make bench`")
