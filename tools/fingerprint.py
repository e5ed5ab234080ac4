"""Compare this machine's arithmetic with the AMD reference: `make fingerprint`.

Runs ../shared/portability/fingerprint.py (a bitwise fingerprint of small seeded NumPy and
TensorFlow computations like the course's) under each setting the reference was measured
with, and under the course's pinned setting (course_utils.setup.PORTABLE_ENV), saves the raw
outputs in bench/fingerprint/ and writes bench/fingerprint.md: line by line, equal or not.

    python tools/fingerprint.py [--shared ../shared]
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from course_utils.setup import PORTABLE_ENV  # noqa: E402  (does not import NumPy)

OUT = ROOT / "bench" / "fingerprint"
SETTINGS = {  # name: (environment, AMD reference file it is compared with)
    "default": ({"ONEDNN_MAX_CPU_ISA": "ALL"}, "default"),
    "default-openblas1": ({"ONEDNN_MAX_CPU_ISA": "ALL", "OPENBLAS_NUM_THREADS": "1"}, "default-openblas1"),
    "avx2": ({"ONEDNN_MAX_CPU_ISA": "AVX2"}, "avx2"),
    "avx2-openblas1": ({"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_NUM_THREADS": "1"}, "avx2-openblas1"),
    "course-pinned": (dict(PORTABLE_ENV), "avx2-openblas1"),
}


def run(script, env):
    clean = {k: v for k, v in os.environ.items() if k not in PORTABLE_ENV}
    out = subprocess.run([sys.executable, str(script)], env={**clean, **env}, capture_output=True,
                         text=True, check=True, timeout=600)
    return out.stdout


def rows(text):
    """{computation: (value, bits)} from a fingerprint output."""
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            *name, value, bits = line.split()
            table[" ".join(name)] = (value, bits)
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    portability = Path(args.shared) / "portability"
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["# Arithmetic fingerprint: this machine against the AMD reference", "",
             "Written by `make fingerprint` (tools/fingerprint.py), which runs "
             "`shared/portability/fingerprint.py` under each setting and compares it line by line "
             "with the AMD EPYC (Zen 4, AVX-512) reference measured under the same setting. "
             "Raw outputs: `bench/fingerprint/*.txt`.", ""]
    for name, (env, ref_name) in SETTINGS.items():
        ours_text = run(portability / "fingerprint.py", env)
        (OUT / f"{name}.txt").write_text(ours_text)
        ref_text = (portability / f"reference-amd-epyc-zen4-{ref_name}.txt").read_text()
        ours, ref = rows(ours_text), rows(ref_text)
        settings = " ".join(f"{k}={v}" for k, v in env.items())
        lines += [f"## {name}: `{settings}` (AMD reference: {ref_name})", "",
                  ours_text.splitlines()[0].lstrip("# "), "",
                  "| computation | this machine | AMD | verdict |", "|---|---|---|---|"]
        for key, (value, bits) in ours.items():
            theirs = ref.get(key, ("-", "-"))
            verdict = "equal" if (value, bits) == theirs else "DIFFERENT"
            lines.append(f"| {key} | {value} `{bits}` | {theirs[0]} `{theirs[1]}` | {verdict} |")
        lines.append("")
        print(f"{name}: {sum((v) == ref.get(k) for k, v in ours.items())} of {len(ours)} lines equal")
    (ROOT / "bench" / "fingerprint.md").write_text("\n".join(lines))
    print("wrote bench/fingerprint.md")


if __name__ == "__main__":
    main()
