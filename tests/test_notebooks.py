"""Hygiene and structure of the committed notebooks (their outputs are checked by nbval)."""
import json
import re
from pathlib import Path

import pytest

from conftest import load_tool

links = load_tool("links")

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
# a drive letter only after a non-letter: "C:\\Users" is a path, the repr "JULIET:\\n" is not
MACHINE_PATH = re.compile(r"(/work/|/tmp/|/root/|/home/|/Users/|(?<![A-Za-z])[A-Z]:\\\\)")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell.get("source", ""))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_come_from_one_clean_quiet_run(path):
    nb = load(path)
    counts = [c.get("execution_count") for c in code_cells(nb)]
    assert None not in counts, f"{counts.count(None)} code cell(s) never executed: run `make notebooks`"
    assert counts == list(range(1, len(counts) + 1)), "execution counts are not 1..n in order"
    for i, cell in enumerate(code_cells(nb)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"cell {i} stores an error: {out.get('ename')}"
            if out["output_type"] == "stream":
                assert out["name"] != "stderr", f"cell {i} stores stderr: {''.join(out['text'])[:200]}"
            text = json.dumps(out)
            assert not MACHINE_PATH.search(text), f"cell {i} shows a machine-specific path"
    assert path.stat().st_size < 3_000_000, "notebook over 3 MB: keep figures lean"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_follows_the_course_standard(path):
    nb = load(path)
    number = path.name[:2]
    first = source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith(f"# {number} · "), (
        f"the first cell must be the title '# {number} · ...'")
    for needed in ("What you will learn", "Assumes", "Run time"):
        assert needed in first, f"the opening cell must say '{needed}'"
    headings = [line for c in nb["cells"] if c["cell_type"] == "markdown"
                for line in source(c).splitlines() if line.startswith("## ")]
    assert "## Summary" in headings and "## Exercises" in headings

    code = [source(c) for c in code_cells(nb)]
    assert code[0] == links.bootstrap_source(), (
        "the first code cell must be the bootstrap cell: run `python tools/links.py`")
    assert "setup_notebook(" in code[1], "the second code cell must call setup_notebook()"
    before = code[1].split("setup_notebook(")[0]
    assert not re.search(r"^\s*(import|from)\s+(tensorflow|keras)", before, re.M), (
        "TensorFlow/Keras imported before setup_notebook(): its logging cannot be silenced")
    all_code = "\n".join(code)
    assert len(re.findall(r"^\s*assert\b|assert_allclose|assert_array", all_code, re.M)) >= 5, (
        "claims must be checked by asserts")
    solved = re.findall(r"assert\s+ex\.check_\w+\(", all_code)
    assert 2 <= len(solved) <= 4, f"expected 2-4 exercises with asserted worked solutions, found {len(solved)}"
    for cell in code:
        if re.search(r"\.fit\(", cell):
            assert re.search(r"verbose\s*=\s*[02]", cell), "fit() must use verbose=0 or 2 (no progress bars)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_are_the_learners_and_solutions_come_last_collapsed(path):
    """Run All never overwrites an attempt before its checker ran: every stub and its checker
    come before `## Solutions`, the last section, whose code cells are collapsed."""
    nb = load(path)
    number = path.name[:2]
    cells = nb["cells"]
    starts = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
              and any(line == "## Solutions" for line in source(c).splitlines())]
    assert len(starts) == 1, "one '## Solutions' section, after the exercises"
    before, after = cells[:starts[0]], cells[starts[0] + 1:]
    assert not any(line.startswith("## ") for c in after if c["cell_type"] == "markdown"
                   for line in source(c).splitlines()), "'## Solutions' must be the last section"
    stubs = [source(c) for c in before if c["cell_type"] == "code" and "raise NotImplementedError" in source(c)]
    checked = [re.search(r"^ex\.(check_\w+)\(", s, re.M) for s in stubs]
    assert stubs and all(checked), "each exercise stub calls its checker in the same cell"
    solutions = [c for c in after if c["cell_type"] == "code"]
    solved = [re.search(r"^assert ex\.(check_\w+)\(", source(c), re.M) for c in solutions]
    assert all(solved) and [m.group(1) for m in solved] == [m.group(1) for m in checked], (
        "one asserted solution per exercise, in the same order")
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in solutions), (
        "solution code is collapsed (cell metadata jupyter.source_hidden)")
    all_code = "\n".join(source(c) for c in cells if c["cell_type"] == "code")
    assert f"from course_utils.exercises import nb{number} as ex" in all_code, (
        f"the notebook imports its own checker module, course_utils.exercises.nb{number}")
    assert not any("Hint:" in json.dumps(c.get("outputs", [])) for c in before
                   if "raise NotImplementedError" in source(c)), "no hint before an attempt"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_badges_open_this_notebook(path):
    """Colab and Binder badges under the title, built from pyproject's repository and ref."""
    nb = load(path)
    notebook = path.relative_to(NOTEBOOK_DIR.parent).as_posix()
    header = source(nb["cells"][0]).splitlines()
    assert header[2] == links.badges(notebook), "the badges line is stale: run `python tools/links.py`"
    assert f"/blob/{links.CONFIG['ref']}/{notebook})" in header[2] and f"lab/tree/{notebook})" in header[2]

