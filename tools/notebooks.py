"""Execute the course notebooks: re-run them in place, or benchmark them.

    python tools/notebooks.py run   [NOTEBOOK ...]   # `make notebooks`: refresh stored outputs
    python tools/notebooks.py bench [NOTEBOOK ...]   # `make bench`: write bench/results.md

Each notebook runs top to bottom in a fresh kernel from its own folder. The kernel is
started with --IPKernelApp.capture_fd_output=False so that C-level stderr is not copied
into the stored outputs (nbval does not see it either, so the two agree). `bench` records
each notebook's wall time (kernel start to last cell) and the kernel's peak resident memory
(VmHWM from /proc, Linux only) without writing the notebooks.
"""
import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "bench" / "results.md"
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
    client.execute()
    seconds = time.perf_counter() - start
    if write:
        nbformat.write(nb, path)
    return seconds, stats.get("peak")


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "bench"])
    parser.add_argument("notebooks", nargs="*", help="default: every notebooks/NN_*.ipynb")
    args = parser.parse_args()
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
        existing = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
        lines += [row for name, row in sorted(table.items()) if name in existing]
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
