"""Execute the course notebooks: re-run them in place, check them, benchmark them.

    python tools/notebooks.py run   [NOTEBOOK ...]   # `make notebooks`: refresh stored outputs
    python tools/notebooks.py check [NOTEBOOK ...]   # `make check`: every assert, no output comparison
    python tools/notebooks.py seeds [NOTEBOOK ...]   # `make seeds`: check under COURSE_SEED 0-4
    python tools/notebooks.py bench [NOTEBOOK ...]   # `make bench`: write bench/results.md

Each notebook runs top to bottom in a fresh kernel from its own folder. The kernel is
started with --IPKernelApp.capture_fd_output=False so that C-level stderr is not copied
into the stored outputs (nbval does not see it either, so the two agree). `bench` records
each notebook's wall time (kernel start to last cell) and the kernel's peak resident memory
(VmHWM from /proc, Linux only), and writes the measured time into the notebook's
"**Run time:**" header line (its only change to a notebook). `check` runs each notebook
with all its asserts but compares no outputs (for machines whose arithmetic differs, such as
Apple silicon or Windows) and exits non-zero if one fails; `seeds` does the same under
COURSE_SEED = 0 (the committed run), 1, 2, 3 and 4 and writes bench/seeds.md.
"""
import argparse
import datetime
import os
import platform
import re
import sys
import time
from pathlib import Path

import nbformat
from course_utils.setup import pin_environment
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "bench" / "results.md"
SEEDS_FILE = ROOT / "bench" / "seeds.md"
SEEDS = (0, 1, 2, 3, 4)
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
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    statement = re.findall(r"^-*> *\d+ (.*)$", traceback, re.M)
    lines = [l for l in traceback.strip().splitlines() if l.strip()]
    at = next((i for i in reversed(range(len(lines))) if re.match(r"\w+(Error|Exception)\b", lines[i].strip())), None)
    message = lines[at].strip() if at is not None else (lines[-1] if lines else repr(error))
    if at is not None and message.endswith(":") and at + 1 < len(lines):
        message += " " + lines[at + 1].strip()  # np.testing puts its message on the next line
    # The first arrow is the notebook's own line; later ones are inside libraries (np.testing).
    where = f"`{statement[0].strip()}`: " if statement else ""
    return (where + message).replace("|", "\\|")[:300]


def check(path, seed=None):
    """Run one notebook (under COURSE_SEED=seed if given): (seconds, None) or (seconds, failure)."""
    if seed is not None:
        os.environ["COURSE_SEED"] = str(seed)  # the kernel inherits this process's environment
    start = time.perf_counter()
    try:
        execute(path, write=False)
        return time.perf_counter() - start, None
    except (CellExecutionError, DeadKernelError) as error:
        return time.perf_counter() - start, failure(error)
    finally:
        os.environ.pop("COURSE_SEED", None)


def write_seeds(results, seeds):
    """bench/seeds.md: one row per notebook, one column per seed, pass or the failing assert."""
    lines = [
        "# Trained claims under other seeds",
        "",
        "Written by `make seeds` (tools/notebooks.py): each notebook executed top to bottom in a "
        "fresh kernel under `COURSE_SEED` = " + ", ".join(map(str, seeds)) + " (0 is the committed "
        "run), every assert checked, outputs not compared, notebooks not written.",
        "",
        f"Machine: {environment_line()}; {pinned_line()}",
        "",
        "| notebook | " + " | ".join(f"seed {s}" for s in seeds) + " | wall time, all seeds (s) |",
        "|---|" + "---|" * len(seeds) + "---:|",
    ]
    rows = {}
    if SEEDS_FILE.is_file():  # a run over some notebooks keeps the other notebooks' rows
        rows = {line.split("|")[1].strip(): line for line in SEEDS_FILE.read_text().splitlines()
                if line.startswith("| ") and line.split("|")[1].strip().endswith(".ipynb")}
    for name, row in results.items():
        cells = [("pass" if row[s][1] is None else f"FAIL: {row[s][1]}") for s in seeds]
        rows[name] = f"| {name} | " + " | ".join(cells) + f" | {sum(row[s][0] for s in seeds):.0f} |"
    existing = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    lines += [row for name, row in sorted(rows.items()) if name in existing]
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


def main():
    pin_environment()  # the kernels inherit the pinned arithmetic even without `make`
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "check", "seeds", "bench"])
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/NN_*.ipynb")
    args = parser.parse_args()
    if args.command == "check":
        failed = 0
        for path in notebooks(args.notebooks):
            seconds, error = check(path)
            failed += error is not None
            print(f"{path.name}: {'pass' if error is None else 'FAIL: ' + error} ({seconds:.1f} s)", flush=True)
        print(f"{failed} failed, {len(notebooks(args.notebooks)) - failed} passed")
        sys.exit(1 if failed else 0)
    if args.command == "seeds":
        results, start = {}, time.perf_counter()
        for path in notebooks(args.notebooks):
            results[path.name] = {}
            for seed in SEEDS:
                seconds, error = check(path, seed)
                results[path.name][seed] = (seconds, error)
                print(f"{path.name} seed {seed}: {'pass' if error is None else 'FAIL: ' + error} "
                      f"({seconds:.1f} s)", flush=True)
        write_seeds(results, SEEDS)
        total = time.perf_counter() - start
        print(f"wrote {SEEDS_FILE.relative_to(ROOT)} in {total:.0f} s")
        sys.exit(1 if any(e for row in results.values() for _, e in row.values()) else 0)
    rows = []
    for path in notebooks(args.notebooks):
        seconds, peak = execute(path, write=args.command == "run")
        rows.append((path.name, seconds, peak))
        shown = f"{peak:.0f} MB" if peak is not None else "n/a"
        print(f"{path.name}: {seconds:.1f} s, peak {shown}", flush=True)
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
