"""Execute the course notebooks: re-run them in place, try other seeds, benchmark them.

    python tools/notebooks.py run   [NOTEBOOK ...]   # `make notebooks`: refresh stored outputs
    python tools/notebooks.py seeds [NOTEBOOK ...] [--seeds 0 1 ...]  # `make seeds`: bench/seeds.md
    python tools/notebooks.py bench [NOTEBOOK ...]   # `make bench`: write bench/results.md

Checking notebooks is nbval's job: `make test` (strict or lax, see tools/fingerprint.py) and
`make check` (`pytest --nbval-lax`: every cell run, every assert checked, no output compared)
call it directly, and `seeds` runs the same `pytest --nbval-lax` once per seed, under
COURSE_SEED, and turns pytest's JUnit XML report into the table of bench/seeds.md (notebook by
seed: pass, or the failing statement and its message). What this file adds where nbval cannot:
- `run` writes the outputs back into the notebooks (nbval only compares). Each notebook runs
  top to bottom in a fresh kernel from its own folder, started with
  --IPKernelApp.capture_fd_output=False so that C-level stderr is not copied into the stored
  outputs (nbval does not see it either, so the two agree); it then records this machine's
  arithmetic fingerprint as the reference that `make test` compares with.
- `bench` records each notebook's wall time (kernel start to last cell) and the kernel's peak
  resident memory (VmHWM from /proc, Linux only), and writes the measured time into the
  notebook's "**Run time:**" header line (its only change to a notebook).
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nbformat
from course_utils.setup import pin_environment
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "bench" / "results.md"
SEEDS_FILE = ROOT / "bench" / "seeds.md"
SEEDS = (0, 1, 2, 3, 4)  # the default of `make seeds`; SEEDS="0 1 ... 9" for the committed table
BUDGET_SECONDS, BUDGET_MB = 120, 1536


def peak_mb(pid):
    """Peak resident memory of process `pid` in MB, or None where /proc is not available."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def execute(path, write):
    """Run one notebook in a fresh kernel; return (seconds, peak MB or None)."""
    nb = nbformat.read(path, as_version=4)
    stats = {}

    def after_cell(**_):
        stats["peak"] = peak_mb(client.km.provisioner.process.pid)

    client = NotebookClient(
        nb, timeout=900, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--IPKernelApp.capture_fd_output=False", "--IPKernelApp.log_level=ERROR"],
        on_cell_executed=after_cell,
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError when a cell (an assert) fails
    seconds = time.perf_counter() - start
    if write:
        nbformat.write(nb, path)
    return seconds, stats.get("peak")


RUN_TIME_STEPS = (10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300)
RUN_TIME_LINE = re.compile(r"^\*\*Run time:\*\* .*$", re.M)


def run_time_line(seconds):
    """The header line a notebook shows for a measured wall time, e.g. 'under 30 s'."""
    bound = next((b for b in RUN_TIME_STEPS if seconds <= b), None)
    if bound is None:
        text = f"about {seconds / 60:.0f} minutes"
    else:
        text = f"under {bound} s" if bound < 60 else f"under {bound / 60:g} minute{'s' if bound > 60 else ''}"
    return f"**Run time:** {text} on 2 CPU cores (measured by `make bench`, see `bench/results.md`)."


def set_run_time(path, seconds):
    """Rewrite the "**Run time:**" line of the notebook's first cell with the measured time."""
    nb = nbformat.read(path, as_version=4)
    header = nb.cells[0].source
    if not RUN_TIME_LINE.search(header):
        raise ValueError(f"{path.name}: its first cell has no '**Run time:** ...' line to update")
    new = RUN_TIME_LINE.sub(run_time_line(seconds), header, count=1)
    if new != header:
        nb.cells[0].source = new
        nbformat.write(nb, path)


def failure(error):
    """One line for a failed notebook: the failing statement (an assert) and its message."""
    traceback = re.sub(r"(\x1b|#x1B)\[[0-9;]*m", "", str(error))  # ANSI colours, as text or as escaped in XML
    statement = re.findall(r"^-*> *\d+ (.*)$", traceback, re.M)
    lines = [l for l in traceback.strip().splitlines() if l.strip()]
    at = next((i for i in reversed(range(len(lines))) if re.match(r"\w+(Error|Exception)\b", lines[i].strip())), None)
    message = lines[at].strip() if at is not None else (lines[-1] if lines else repr(error))
    if at is not None and message.endswith(":") and at + 1 < len(lines):
        message += " " + lines[at + 1].strip()  # np.testing puts its message on the next line
    # The first arrow is the notebook's own line; later ones are inside libraries (np.testing).
    where = f"`{statement[0].strip()}`: " if statement else ""
    return (where + message).replace("|", "\\|")[:300]


def nbval_lax(paths, seed, report, python=sys.executable):
    """`pytest --nbval-lax` over `paths` under COURSE_SEED=seed, two notebooks at a time."""
    command = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval-lax",
               "--nbval-cell-timeout=900", f"--junitxml={report}", "-o", "junit_family=xunit1"]
    if len(paths) > 1:
        command += ["-n", "2", "--dist", "loadfile"]
    env = {**os.environ, "COURSE_SEED": str(seed)}  # the kernels inherit it
    return subprocess.run(command + [str(p) for p in paths], env=env, cwd=ROOT,
                          capture_output=True, text=True)


def seed_results(paths, seed, python=sys.executable):
    """{notebook name: (seconds, None or the first failure)} for one seed, from nbval's report."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        run = nbval_lax(paths, seed, report, python)
        if not report.is_file():
            raise RuntimeError(f"pytest wrote no report (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        cases = ElementTree.parse(report).getroot().iter("testcase")
        results = {p.name: [0.0, []] for p in paths}
        for case in cases:
            notebook = Path(case.get("file", "")).name  # xunit1 names each cell's notebook file
            if notebook not in results:
                continue
            results[notebook][0] += float(case.get("time", 0))
            problem = case.find("failure") if case.find("failure") is not None else case.find("error")
            if problem is not None:
                cell = int(re.sub(r"\D", "", case.get("name", "")) or 0)
                results[notebook][1].append((cell, failure((problem.get("message") or "") + "\n" + (problem.text or ""))))
    nothing = f"no cell ran (pytest exit {run.returncode}: {run.stdout.strip().splitlines()[-1:]})"
    return {name: (seconds, min(errors)[1] if errors else None if seconds else nothing)
            for name, (seconds, errors) in results.items()}


def write_seeds(results, seeds, total):
    """bench/seeds.md: one row per notebook, one column per seed, pass or the failing assert."""
    lines = [
        "# Trained claims under other seeds",
        "",
        "Written by `make seeds` (tools/notebooks.py): each notebook executed top to bottom in a "
        "fresh kernel by `pytest --nbval-lax` under `COURSE_SEED` = " + ", ".join(map(str, seeds)) +
        " (0 is the committed run), every assert checked, outputs not compared, notebooks not "
        "written; two notebooks at a time. TOTAL",
        "",
        f"Machine: {environment_line()}; {pinned_line()}",
        "",
        "| notebook | " + " | ".join(f"seed {s}" for s in seeds) + " | time in its cells, all seeds (s) |",
        "|---|" + "---|" * len(seeds) + "---:|",
    ]
    rows = {}
    if SEEDS_FILE.is_file() and lines[-2] in SEEDS_FILE.read_text().splitlines():
        # a run over some notebooks with the same seeds keeps the other notebooks' rows
        rows = {line.split("|")[1].strip(): line for line in SEEDS_FILE.read_text().splitlines()
                if line.startswith("| ") and line.split("|")[1].strip().endswith(".ipynb")}
    for name, row in results.items():
        cells = [("pass" if row[s][1] is None else f"FAIL: {row[s][1]}") for s in seeds]
        rows[name] = f"| {name} | " + " | ".join(cells) + f" | {sum(row[s][0] for s in seeds):.0f} |"
    existing = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    kept = [row for name, row in sorted(rows.items()) if name in existing]
    seconds = sum(float(row.rstrip(" |").rsplit("|", 1)[1]) for row in kept)
    lines[2] = lines[2].replace("TOTAL", f"The notebooks' cells took {seconds / 60:.0f} minutes in all "
                                f"(this run: {total / 60:.0f} minutes of wall time for {len(results)} "
                                f"notebook{'s' * (len(results) != 1)}).")
    lines += kept
    SEEDS_FILE.parent.mkdir(exist_ok=True)
    SEEDS_FILE.write_text("\n".join(lines) + "\n")


def pinned_line():
    names = ("ONEDNN_MAX_CPU_ISA", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "CPU_LIMIT")
    return ", ".join(f"{n}={os.environ[n]}" for n in names if n in os.environ) or "nothing pinned"


def notebooks(names):
    paths = [Path(n).resolve() for n in names] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        sys.exit(f"not a notebook file: {', '.join(missing)}")
    return paths


def previous_rows():
    if not RESULTS.is_file():
        return {}
    return {line.split("|")[1].strip(): line for line in RESULTS.read_text().splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().endswith(".ipynb")}


def environment_line():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    limit = os.environ.get("CPU_LIMIT")
    return (f"{datetime.date.today().isoformat()}, {os.cpu_count()} cores ({cpu})"
            f"{', CPU_LIMIT=' + limit if limit else ''}, Python {platform.python_version()}")


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "seeds", "bench"])
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/NN_*.ipynb")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS), metavar="SEED",
                        help=f"for seeds (default: {' '.join(map(str, SEEDS))}); after the notebooks")
    return parser.parse_args(argv)


def main():
    pin_environment()  # the kernels inherit the pinned arithmetic even without `make`
    args = arguments()
    if args.command == "seeds":
        if any(seed < 0 for seed in args.seeds) or len(set(args.seeds)) != len(args.seeds):
            sys.exit(f"--seeds takes distinct non-negative integers, got {args.seeds}")
        paths, start = notebooks(args.notebooks), time.perf_counter()
        results = {path.name: {} for path in paths}
        for seed in args.seeds:
            for name, (seconds, error) in seed_results(paths, seed).items():
                results[name][seed] = (seconds, error)
                print(f"{name} seed {seed}: {'pass' if error is None else 'FAIL: ' + error} "
                      f"({seconds:.1f} s)", flush=True)
        total = time.perf_counter() - start
        write_seeds(results, args.seeds, total)
        print(f"wrote {SEEDS_FILE.relative_to(ROOT)} in {total:.0f} s")
        sys.exit(1 if any(e for row in results.values() for _, e in row.values()) else 0)
    rows = []
    for path in notebooks(args.notebooks):
        seconds, peak = execute(path, write=args.command == "run")
        rows.append((path.name, seconds, peak))
        shown = f"{peak:.0f} MB" if peak is not None else "n/a"
        print(f"{path.name}: {seconds:.1f} s, peak {shown}", flush=True)
    if args.command == "run":  # the arithmetic these outputs came from, for `make test`
        subprocess.run([sys.executable, str(ROOT / "tools" / "fingerprint.py"), "record"], check=True)
    if args.command == "bench":
        lines = [
            "# Notebook benchmark",
            "",
            "Written by `make bench` (tools/notebooks.py): each notebook executed top to bottom "
            "in a fresh kernel, one at a time.",
            f"Budget per notebook: about {BUDGET_SECONDS} s and under {BUDGET_MB / 1024:.1f} GB "
            "peak memory on 2 CPU cores.",
            "",
            f"Machine: {environment_line()}",
            "",
            "| notebook | wall time (s) | peak memory (MB) | within budget |",
            "|---|---:|---:|---|",
        ]
        table = previous_rows()  # benchmarking some notebooks keeps the others' rows
        for name, seconds, peak in rows:
            ok = seconds <= BUDGET_SECONDS * 1.1 and (peak is None or peak <= BUDGET_MB)
            table[name] = (f"| {name} | {seconds:.1f} | {'n/a' if peak is None else f'{peak:.0f}'} "
                           f"| {'yes' if ok else 'NO'} |")
            set_run_time(NOTEBOOKS / name, seconds)
        existing = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
        lines += [row for name, row in sorted(table.items()) if name in existing]
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
