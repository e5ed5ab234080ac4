"""tools/: `make seeds` reports the failing assert, `make bench` writes the headers, `make test` picks its mode."""
import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import load_tool

ROOT = Path(__file__).resolve().parents[1]
tools = load_tool("notebooks")


def tiny_notebook(tmp_path, code):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "00_tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_seeds_name_the_failing_assert_and_pass_the_seed(tmp_path):
    path = tiny_notebook(tmp_path, "import os\nseed = int(os.environ['COURSE_SEED'])\n"
                                   "assert seed != 3, f'claim fails for seed {seed}'")
    (seconds, error), = tools.seed_results([path], 2).values()
    assert error is None and seconds > 0
    (_, error), = tools.seed_results([path], 3).values()
    assert error.startswith("`assert seed != 3, f'claim fails for seed {seed}'`"), error
    assert error.endswith("AssertionError: claim fails for seed 3"), error
    assert "COURSE_SEED" not in tools.os.environ  # only the pytest run had it


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


def test_seeds_name_the_notebook_line_of_a_failing_np_testing_call(tmp_path):
    path = tiny_notebook(tmp_path, "import numpy as np\nnp.testing.assert_allclose(1.001, 1.0, rtol=1e-6)")
    (_, error), = tools.seed_results([path], 0).values()
    assert error.startswith("`np.testing.assert_allclose(1.001, 1.0, rtol=1e-6)`: "), error
    assert "AssertionError: " in error and "Not equal to tolerance" in error, error


REFERENCE = """# Intel(R) Xeon(R) Processor; 2 cores; ONEDNN_MAX_CPU_ISA=AVX2; OPENBLAS_CORETYPE=Haswell
# Python 3.11.7, TensorFlow 2.21.0, Keras 3.15.1, NumPy 2.4.6
tf float32 matmul 301x257x199                        3889.5596  69e8cad24ef8
SimpleRNN echo, 6 epochs (accuracy)                     0.5152  49cac8fc8d69
"""


def test_make_test_is_strict_only_where_the_fingerprint_matches():
    fingerprint = load_tool("fingerprint")
    other_cpu = REFERENCE.replace("Intel(R) Xeon(R) Processor", "AMD EPYC-Milan").replace("Python 3.11.7", "Python 3.11.14")
    flag, notice = fingerprint.choose("auto", other_cpu, REFERENCE)
    assert flag == "--nbval" and notice.startswith("notebooks: strict"), "CPU name and Python patch do not matter"
    milan = REFERENCE.replace("0.5152  49cac8fc8d69", "0.5108  49d5d43b7351")
    flag, notice = fingerprint.choose("auto", milan, REFERENCE)
    assert flag == "--nbval-lax" and "differs" in notice and "SimpleRNN echo, 6 epochs (accuracy)" in notice
    assert "tf float32" not in notice and "NBVAL=strict forces" in notice
    flag, notice = fingerprint.choose("auto", REFERENCE.replace("TensorFlow 2.21.0", "TensorFlow 2.19.1"), REFERENCE)
    assert flag == "--nbval-lax" and "TensorFlow 2.19.1 here, 2.21.0 there" in notice
    assert fingerprint.choose("strict", milan, REFERENCE)[0] == "--nbval"
    assert fingerprint.choose("lax", REFERENCE, REFERENCE)[0] == "--nbval-lax"
    assert fingerprint.choose("auto", REFERENCE, None)[0] == "--nbval-lax"
    with pytest.raises(ValueError, match="NBVAL must be one of auto, strict, lax, got 'exact'"):
        fingerprint.choose("exact", REFERENCE, REFERENCE)


def test_the_committed_reference_is_the_probes_output():
    fingerprint = load_tool("fingerprint")
    text = fingerprint.REFERENCE.read_text()
    assert fingerprint.versions(text).keys() >= {"TensorFlow", "Keras", "NumPy"}
    assert len(fingerprint.rows(text)) == 10 and "SimpleRNN echo, 6 epochs (accuracy)" in fingerprint.rows(text)


def test_headers_state_the_measured_run_time():
    """Each notebook's "**Run time:**" line is the one `make bench` wrote from bench/results.md."""
    results = (ROOT / "bench" / "results.md").read_text()
    measured = {name: float(s) for name, s in re.findall(r"^\| (\d\d_\w+\.ipynb) \| ([\d.]+) \|", results, re.M)}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        header = "".join(json.loads(path.read_text())["cells"][0]["source"])
        assert tools.run_time_line(measured[path.name]) in header.splitlines(), (
            f"{path.name}: the Run time line does not state bench/results.md's {measured[path.name]} s; "
            "run `make bench`")


def test_make_seeds_passes_notebooks_and_seeds_in_an_order_the_tool_parses():
    recipe = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                  if "tools/notebooks.py seeds" in line)
    words = recipe.split("tools/notebooks.py", 1)[1].replace("$(NB)", "notebooks/00_a.ipynb notebooks/01_b.ipynb")
    args = tools.arguments(words.replace("$(SEEDS)", "0 1 2 3 4 5 6 7 8 9").split())
    assert args.notebooks == ["notebooks/00_a.ipynb", "notebooks/01_b.ipynb"] and args.seeds == list(range(10))


def test_a_run_over_some_notebooks_keeps_the_other_rows_of_the_same_seeds(tmp_path, monkeypatch):
    for name in ("00_a", "01_b"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    monkeypatch.setattr(tools, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(tools, "SEEDS_FILE", tmp_path / "seeds.md")
    tools.write_seeds({"00_a.ipynb": {0: (60.0, None), 1: (60.0, None)},
                       "01_b.ipynb": {0: (30.0, None), 1: (30.0, "`assert x`: AssertionError")}}, [0, 1], 100.0)
    tools.write_seeds({"01_b.ipynb": {0: (30.0, None), 1: (90.0, None)}}, [0, 1], 130.0)
    text = (tmp_path / "seeds.md").read_text()
    assert "| 00_a.ipynb | pass | pass | 120 |" in text and "| 01_b.ipynb | pass | pass | 120 |" in text
    assert "FAIL" not in text and "took 4 minutes in all (this run: 2 minutes of wall time for 1 notebook)" in text
    tools.write_seeds({"01_b.ipynb": {2: (30.0, None)}}, [2], 30.0)   # other seeds: a new table
    assert "00_a" not in (tmp_path / "seeds.md").read_text()
