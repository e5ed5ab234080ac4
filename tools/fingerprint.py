"""This machine's arithmetic against the machine that wrote the notebooks' outputs.

tools/fingerprint_probe.py prints a bitwise fingerprint of small seeded NumPy and TensorFlow
computations like the course's. Pinning the kernels (course_utils.setup.PORTABLE_ENV) makes
most of them equal across CPUs, not all: an emulated AMD EPYC-Milan computes a float32 product
and a short RNN training to other bits (shared/portability). So the committed outputs can be
compared exactly only on a machine whose fingerprint equals the reference one.

    python tools/fingerprint.py nbval-flag   # `make test`: prints --nbval or --nbval-lax, and why
    python tools/fingerprint.py record       # `make notebooks`: bench/fingerprint/reference.txt
    python tools/fingerprint.py compare      # `make fingerprint`: bench/fingerprint.md against
                                             # the AMD references in ../shared/portability

`nbval-flag` reads NBVAL from the environment: `auto` (the default) chooses strict output
comparison when this machine's fingerprint and library versions equal the reference's, and
nbval's own lax mode (every cell run, every assert checked, no output compared) otherwise;
`strict` and `lax` force a mode. The one-line notice goes to stderr, the flag to stdout.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from course_utils.setup import PORTABLE_ENV  # noqa: E402  (does not import NumPy)

PROBE = ROOT / "tools" / "fingerprint_probe.py"
OUT = ROOT / "bench" / "fingerprint"
REFERENCE = OUT / "reference.txt"
LIBRARIES = ("TensorFlow", "Keras", "NumPy")  # versions that change outputs; Python's patch does not
MODES = ("auto", "strict", "lax")
SETTINGS = {  # name: (environment, AMD reference file it is compared with)
    "default": ({"ONEDNN_MAX_CPU_ISA": "ALL"}, "default"),
    "default-openblas1": ({"ONEDNN_MAX_CPU_ISA": "ALL", "OPENBLAS_NUM_THREADS": "1"}, "default-openblas1"),
    "avx2": ({"ONEDNN_MAX_CPU_ISA": "AVX2"}, "avx2"),
    "avx2-openblas1": ({"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_NUM_THREADS": "1"}, "avx2-openblas1"),
    "course-pinned": (dict(PORTABLE_ENV), "avx2-openblas1"),
}


def probe(env=None):
    """The fingerprint of this machine, under `env` (default: this process's environment)."""
    if env is not None:
        env = {**{k: v for k, v in os.environ.items() if k not in PORTABLE_ENV}, **env}
    out = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True, text=True,
                         timeout=900)
    if out.returncode:
        raise RuntimeError(f"{PROBE.name} failed:\n{out.stderr[-2000:]}")
    return out.stdout


def rows(text):
    """{computation: (value, bits)} from a fingerprint output."""
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            *name, value, bits = line.split()
            table[" ".join(name)] = (value, bits)
    return table


def versions(text):
    """{library: version} from the fingerprint's '# Python ..., TensorFlow 2.21.0, ...' line."""
    for line in text.splitlines():
        if line.startswith("# Python "):
            return dict(part.strip().rsplit(" ", 1) for part in line[2:].split(","))
    return {}


def differences(ours, reference):
    """What keeps this machine from reproducing the reference outputs exactly, as short texts."""
    found = [f"{lib} {versions(ours).get(lib, '?')} here, {versions(reference).get(lib, '?')} there"
             for lib in LIBRARIES if versions(ours).get(lib) != versions(reference).get(lib)]
    mine, theirs = rows(ours), rows(reference)
    found += [name for name in theirs if mine.get(name) != theirs[name]]
    found += [name for name in mine if name not in theirs]
    return found


def choose(mode, ours, reference):
    """(pytest flag, one-line notice) for NBVAL=mode, this machine's fingerprint and the reference."""
    if mode not in MODES:
        raise ValueError(f"NBVAL must be one of {', '.join(MODES)}, got {mode!r}")
    if reference is None:
        diff, why = ["no reference"], f"{REFERENCE.relative_to(ROOT)} is missing"
    else:
        diff = differences(ours, reference)
        why = ("this machine's arithmetic fingerprint and TensorFlow/Keras/NumPy equal those of the "
               "machine that wrote the outputs" if not diff else
               "this machine differs from the one that wrote the outputs in: " + "; ".join(diff))
    strict = mode == "strict" or (mode == "auto" and not diff)
    how = ("strict: every stored output compared" if strict else
           "lax: every cell run and every assert checked, outputs not compared")
    forced = f" (forced by NBVAL={mode})" if mode != "auto" else ""
    hint = "" if strict or mode == "lax" else "; NBVAL=strict forces exact comparison"
    return ("--nbval" if strict else "--nbval-lax"), f"notebooks: {how}{forced}; {why}{hint}"


def nbval_flag():
    mode = os.environ.get("NBVAL", "auto").strip() or "auto"
    choose(mode, "", "")  # a wrong NBVAL is refused before the probe runs
    reference = REFERENCE.read_text() if REFERENCE.is_file() else None
    flag, notice = choose(mode, probe(), reference)
    print(notice, file=sys.stderr)
    print(flag)


def record():
    """Write the fingerprint of this machine under the course's pins as the outputs' reference."""
    text = probe(dict(PORTABLE_ENV))
    old = REFERENCE.read_text() if REFERENCE.is_file() else None
    OUT.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(text)
    changed = old is not None and differences(text, old)
    print(f"wrote {REFERENCE.relative_to(ROOT)}" + (
        f"; it differs from the previous one ({'; '.join(changed)}): re-run every notebook "
        "(`make notebooks`) so that all stored outputs come from this arithmetic" if changed else ""))


def compare(shared):
    portability = Path(shared) / "portability"
    lines = ["# Arithmetic fingerprint: this machine against the AMD reference", "",
             "Written by `make fingerprint` (tools/fingerprint.py), which runs "
             "`tools/fingerprint_probe.py` (the probe of `shared/portability`) under each setting and "
             "compares it line by line with the AMD EPYC (Zen 4, AVX-512) reference measured under the "
             "same setting. Raw outputs: `bench/fingerprint/*.txt`; `reference.txt` there is the machine "
             "that wrote the committed notebook outputs (`make notebooks` records it, `make test` "
             "compares with it).", ""]
    for name, (env, ref_name) in SETTINGS.items():
        ours_text = probe(env)
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
        print(f"{name}: {sum(v == ref.get(k) for k, v in ours.items())} of {len(ours)} lines equal")
    (ROOT / "bench" / "fingerprint.md").write_text("\n".join(lines))
    print("wrote bench/fingerprint.md")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["nbval-flag", "record", "compare"])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"), help="for compare")
    args = parser.parse_args()
    try:
        {"nbval-flag": nbval_flag, "record": record,
         "compare": lambda: compare(args.shared)}[args.command]()
    except (ValueError, RuntimeError) as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
