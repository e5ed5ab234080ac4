"""Install the course into a runtime that has not got it (Colab, Kaggle, any Python 3.11).

Each notebook's bootstrap cell (tools/links.py writes it) clones the repository and runs this
file when `course_utils` cannot be imported. It keeps the runtime's TensorFlow when that is in
the range the course supports (either distribution: `tensorflow` on Colab and Kaggle,
`tensorflow-cpu` from the course's own requirements) and installs it only where it is missing
or out of range; then it installs the course (`pip install -e`), whose declared ranges for
Keras, NumPy and matplotlib pip satisfies with what is there when it can. The exact pins of a
local checkout live in requirements.txt; this is the looser path for hosted runtimes.

    python tools/install.py
"""
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TENSORFLOW_NAMES = ("tensorflow", "tensorflow-cpu", "tensorflow-intel")


def release(version):
    """'2.19.1' -> (2, 19, 1); a pre-release or local suffix ('2.21.0rc1', '2.19.1+cu') is dropped."""
    parts = []
    for piece in version.split("+")[0].split("."):
        digits = re.match(r"\d*", piece).group()
        if digits:
            parts.append(int(digits))
        if digits != piece:
            break
    return tuple(parts)


def in_range(version, requirement):
    """Whether `version` meets a requirement made of >=, <=, == and < clauses ('x>=2.19.1,<=2.21.0')."""
    spec = requirement.lstrip("abcdefghijklmnopqrstuvwxyz-_ ")
    checks = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b,
              "<": lambda a, b: a < b, ">": lambda a, b: a > b}
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        op = next(o for o in (">=", "<=", "==", "<", ">") if clause.startswith(o))
        if not checks[op](release(version), release(clause[len(op):])):
            return False
    return True


def installed_tensorflow():
    """(distribution, version) of the TensorFlow in this runtime, or None."""
    for name in TENSORFLOW_NAMES:
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def pip(*args):
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args], check=True)


def main():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["optional-dependencies"]["tensorflow"][0]  # 'tensorflow>=2.19.1,<=2.21.0'
    found = installed_tensorflow()
    if found and in_range(found[1], wanted):
        kept = f"kept this runtime's {found[0]} {found[1]}"
    else:
        had = f" (found {found[0]} {found[1]})" if found else ""
        print(f"Installing {wanted}{had}: the course supports that range only.", flush=True)
        pip(wanted)
        kept = f"installed {wanted}"
    pip("-e", str(ROOT))
    print(f"Installed the course from {ROOT.name}/ ({kept}).")


if __name__ == "__main__":
    main()
