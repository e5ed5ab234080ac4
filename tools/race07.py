"""Notebook 07's experiments over several seeds, every epoch recorded: bench/race07.json.

    .venv/bin/python tools/race07.py                 # all three, seeds 0-4 (about 40 min on 2 cores)
    .venv/bin/python tools/race07.py race --seeds 5  # one experiment, other seeds (added to the file)

A notebook has two minutes; one seed of the race takes several. So this script runs them with
the code the notebook uses (course_utils.deep), seeded like the notebook (cu.setup_notebook,
then keras.utils.set_random_seed(seed) before each model is built), and records each run's
training and validation bits per character per epoch, the epoch validation chose, and the
test score of that epoch. Notebook 07 reads the record, repeats one run of its own seed live,
and asserts that the two agree before it draws anything from the record.

- race: the nine models of RACE (about 50,000 parameters each), early stopping on validation.
- residual: a 4-layer stack of SimpleRNN layers with and without residual connections, a fixed
  number of epochs, so the two learning curves can be compared epoch by epoch.
- dropout: a stacked LSTM large enough to overfit, without and with dropout, a fixed number of
  epochs: the gap between training and validation loss.
"""
import argparse
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = {"race": range(5), "residual": range(5), "dropout": range(3)}


def experiments(name, data, vocab_size):
    """(label, make_model, max_epochs, patience) for each model of experiment `name`."""
    from course_utils import deep
    from course_utils.deep import DROPOUT, RACE, RESIDUAL
    if name == "race":
        return [(kind, lambda kind=kind, units=units: deep.build_char_model(kind, units, vocab_size),
                 RACE["max_epochs"], RACE["patience"]) for kind, units in deep.RACE_UNITS.items()]
    if name == "residual":
        cfg = RESIDUAL
        return [(kind, lambda kind=kind: deep.build_char_model(kind, cfg["units"], vocab_size,
                                                               layers=cfg["layers"]),
                 cfg["epochs"], None) for kind in ("stacked", "residual stack")]
    cfg = DROPOUT
    return [(f"dropout {rate}", lambda rate=rate: deep.build_char_model(
                "stacked LSTM", cfg["units"], vocab_size, dropout=rate, layers=cfg["layers"]),
             cfg["epochs"], None) for rate in (0.0, cfg["rate"])]


def rounded(run):
    return {k: ([round(x, 4) for x in v] if isinstance(v, list) else
                round(v, 4) if isinstance(v, float) else v) for k, v in run.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="name", help=f"any of {list(SEEDS)} (default: all)")
    parser.add_argument("--seeds", nargs="+", type=int)
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(SEEDS)
    if unknown:
        parser.error(f"unknown experiment {sorted(unknown)}: expected any of {list(SEEDS)}")
    import course_utils as cu
    cu.setup_notebook(seed=0)  # before TensorFlow loads: quiet, deterministic, pinned arithmetic
    import keras
    import tensorflow as tf
    from course_utils import deep
    from course_utils.deep import DROPOUT, RACE, RECORD as OUT, RESIDUAL
    record = json.loads(OUT.read_text()) if OUT.exists() else {}
    record["settings"] = {"race": RACE, "residual": RESIDUAL, "dropout": DROPOUT,
                          "race_units": deep.RACE_UNITS}
    record["machine"] = {"cpu": platform.processor() or platform.machine(),
                         "cores": os.cpu_count(), "python": platform.python_version(),
                         "tensorflow": tf.__version__, "keras": keras.__version__,
                         "ONEDNN_MAX_CPU_ISA": os.environ.get("ONEDNN_MAX_CPU_ISA")}
    for name in args.names or list(SEEDS):
        cfg = {"race": RACE, "residual": RESIDUAL, "dropout": DROPOUT}[name]
        vocab, data = deep.race_data(train_chars=cfg["train_chars"])
        runs = record.setdefault(name, {})
        for seed in args.seeds if args.seeds is not None else SEEDS[name]:
            for label, make_model, epochs, patience in experiments(name, data, len(vocab)):
                run = deep.train_char_model(make_model, data, seed, epochs, patience)
                runs.setdefault(label, {})[str(seed)] = rounded(run)
                print(f"{name} seed {seed} {label:16s} best epoch {run['best_epoch']:2d}  "
                      f"val {run['val']:.3f}  test {run['test']:.3f}  {run['seconds']:.0f} s",
                      flush=True)
                OUT.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
