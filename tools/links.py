"""Where a learner opens the course: Binder and Colab badges, and each notebook's bootstrap cell.

Everything here is built from `[tool.course]` in pyproject.toml (the repository's "owner/name"
and the branch or tag learners get), so a fork or a release changes one place:

    python tools/links.py        # rewrite every notebook's badges line and bootstrap cell

tests/test_project.py checks that the README and every notebook carry exactly what these
functions build. The bootstrap cell is each notebook's first code cell: in a checkout (or any
environment with `course_utils` installed) it does nothing visible; elsewhere (Colab, Kaggle, a
notebook downloaded alone) it clones the course at the same branch or tag next to the notebook,
installs it with tools/install.py and puts it on the path, so that the data sets and shipped
weights in the clone are found too. COURSE_REPOSITORY in the environment overrides the URL (the
test of this path points it at a local clone).
"""
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]
NOTEBOOKS = ROOT / "notebooks"
CLONE = "rnn-course"  # the folder the bootstrap cell clones into, beside the notebook
BADGES_START = "[![Open In Colab]"


def binder_url(notebook):
    return f"https://mybinder.org/v2/gh/{CONFIG['repository']}/{CONFIG['ref']}?urlpath=lab/tree/{notebook}"


def colab_url(notebook):
    return f"https://colab.research.google.com/github/{CONFIG['repository']}/blob/{CONFIG['ref']}/{notebook}"


def badges(notebook):
    """The Markdown line of badges that opens `notebook` ('notebooks/NN_name.ipynb')."""
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(notebook)}) "
            f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(notebook)})")


def bootstrap_source():
    """The first code cell of every notebook."""
    url = f"https://github.com/{CONFIG['repository']}"
    return f'''# Colab, Kaggle or a notebook on its own: fetch and install the course first (a checkout has it).
import importlib.util, os, subprocess, sys
if importlib.util.find_spec("course_utils") is None:
    root = ".." if os.path.isdir("../course_utils") else "{CLONE}"
    if not os.path.isdir(root):
        url = os.environ.get("COURSE_REPOSITORY", "{url}")
        subprocess.run(["git", "clone", "--quiet", "--depth=1", "--branch={CONFIG['ref']}", url, root], check=True)
        subprocess.run([sys.executable, f"{{root}}/tools/install.py"], check=True)
    sys.path.insert(0, os.path.abspath(root))'''


def with_badges(header, notebook):
    """The first Markdown cell with its badges line right under the title, replaced if present."""
    lines = [line for line in header.split("\n") if not line.startswith(BADGES_START)]
    rest = "\n".join(lines[1:]).lstrip("\n")
    return f"{lines[0]}\n\n{badges(notebook)}\n\n{rest}"


def is_bootstrap(cell):
    return cell.cell_type == "code" and cell.source.startswith("# Colab, Kaggle or a notebook on its own")


def update(path):
    """Write the badges line and the bootstrap cell into one notebook; True if it changed."""
    nb = nbformat.read(path, as_version=4)
    notebook = path.relative_to(ROOT).as_posix()
    before = nbformat.writes(nb)
    nb.cells[0].source = with_badges(nb.cells[0].source, notebook)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    if is_bootstrap(nb.cells[first_code]):
        nb.cells[first_code].source = bootstrap_source()
    else:
        cell = nbformat.v4.new_code_cell(bootstrap_source())
        cell.id = "bootstrap"  # a stable id, so that re-running this script changes nothing
        nb.cells.insert(first_code, cell)
    if nbformat.writes(nb) == before:
        return False
    nbformat.write(nb, path)
    return True


def main():
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        print(f"{path.name}: {'updated' if update(path) else 'up to date'}")


if __name__ == "__main__":
    main()
