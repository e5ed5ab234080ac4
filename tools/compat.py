"""`make compat`: every notebook's asserts with the oldest TensorFlow/Keras the course declares.

Builds .venv-compat from the lower ends of pyproject.toml's ranges (the `tensorflow` extra and
`keras`), the newest NumPy and matplotlib that the package registry serves and that TensorFlow
allows, and the same notebook tooling as the pinned environment (ipykernel, nbval, pytest). Runs
every notebook there with `pytest --nbval-lax` (every assert, no output comparison: other
library versions give other digits) and writes bench/compat.md: the versions, and pass or the
failing statement per notebook.

    python tools/compat.py [NOTEBOOK ...]
"""
import datetime
import importlib.util
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-compat"
OUT = ROOT / "bench" / "compat.md"
TOOLING = ("ipykernel", "nbval", "pytest", "pytest-xdist", "nbclient", "nbformat")  # pinned as in requirements.txt
REPORTED = ("tensorflow-cpu", "tensorflow", "keras", "numpy", "matplotlib", "h5py", "ml_dtypes", "protobuf")

spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
notebook_tools = importlib.util.module_from_spec(spec)
spec.loader.exec_module(notebook_tools)


def lower_end(requirement):
    """'keras>=3.10.0,<=3.15.1' -> ('keras', '3.10.0')."""
    match = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([\w.]+)", requirement)
    if not match:
        raise ValueError(f"pyproject.toml: {requirement!r} has no '>=' lower end to test")
    return match.groups()


def oldest():
    """The oldest TensorFlow and Keras pyproject.toml declares, as pip requirements."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    tf_name, tf_version = lower_end(project["optional-dependencies"]["tensorflow"][0])
    keras = next(r for r in project["dependencies"] if r.startswith("keras"))
    linux_x86 = sys.platform == "linux" and __import__("platform").machine() == "x86_64"
    return [f"{'tensorflow-cpu' if linux_x86 else tf_name}=={tf_version}", "==".join(lower_end(keras))]


def tooling_pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name = re.split(r"[=<>; ]", line.strip(), maxsplit=1)[0].lower()
        if name in TOOLING:
            pins[name] = line.split(";")[0].strip()
    return [pins[name] for name in TOOLING]


def build():
    python = VENV / "bin" / "python"
    if not python.is_file():
        subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(VENV)], check=True)
    wanted = [*oldest(), "numpy", "matplotlib", *tooling_pins()]
    print("installing into .venv-compat:", " ".join(wanted), flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--upgrade", *wanted], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-deps", "-e", str(ROOT)], check=True)
    return python


def versions(python):
    script = ("from importlib import metadata\n"
              f"for name in {REPORTED!r}:\n"
              "    try: print(name, metadata.version(name))\n"
              "    except metadata.PackageNotFoundError: pass\n")
    out = subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()]


def main():
    notebook_tools.pin_environment()
    paths = notebook_tools.notebooks(sys.argv[1:])
    python = build()
    start = time.perf_counter()
    results = notebook_tools.seed_results(paths, 0, python)
    total = time.perf_counter() - start
    for name, (seconds, error) in results.items():
        print(f"{name}: {'pass' if error is None else 'FAIL: ' + error} ({seconds:.1f} s)")
    lines = ["# The course with the oldest supported TensorFlow and Keras", "",
             "Written by `make compat` (tools/compat.py): every notebook run top to bottom by "
             "`pytest --nbval-lax` (every cell, every assert; outputs not compared, since other "
             "library versions print other digits) in `.venv-compat`, built from the lower ends of "
             "the ranges in `pyproject.toml` and the newest NumPy and matplotlib the registry serves "
             "within what that TensorFlow allows. Seed 0, two notebooks at a time, "
             f"{total / 60:.1f} minutes in all.", "",
             f"Machine: {notebook_tools.environment_line()}; {notebook_tools.pinned_line()}", "",
             "| package | version |", "|---|---|"]
    lines += [f"| {name} | {version} |" for name, version in versions(python)]
    lines += ["", "| notebook | result | time in its cells (s) |", "|---|---|---:|"]
    lines += [f"| {name} | {'pass' if error is None else 'FAIL: ' + error} | {seconds:.0f} |"
              for name, (seconds, error) in sorted(results.items())]
    passed = sum(error is None for _, error in results.values())
    lines += ["", f"{passed} of {len(results)} notebooks pass.", ""]
    OUT.write_text("\n".join(lines))
    print(f"wrote {OUT.relative_to(ROOT)}: {passed} of {len(results)} pass")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
