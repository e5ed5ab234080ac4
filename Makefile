# The course's commands. Each one creates or refreshes the project-local virtual
# environment (.venv) from the pinned requirements first, so a bare machine with
# Python 3.11 needs nothing else.
#
#   make lab         open the course in JupyterLab at notebook 00
#   make test        unit tests + nbval over every notebook (what CI runs): outputs compared
#                    exactly where this machine's arithmetic fingerprint equals the one that
#                    wrote them, asserts only elsewhere; NBVAL=strict or NBVAL=lax forces a mode
#   make notebooks   re-execute notebooks in place (NB=notebooks/01_simple_rnn.ipynb for one)
#   make check       run every notebook with all its asserts, without comparing outputs
#   make seeds       the same under COURSE_SEED 0-4 -> bench/seeds.md (SEEDS="0 1 2 ..." for others)
#   make bench       time each notebook and record peak memory in bench/results.md
#   make fingerprint compare this CPU's arithmetic with the AMD reference in ../shared
#   make compat      every notebook's asserts with the oldest supported TensorFlow/Keras and the
#                    newest NumPy/matplotlib, in .venv-compat -> bench/compat.md
#   make lock        re-resolve requirements.in into requirements.txt and environment.yml

PYTHON ?= $(shell command -v python3.11 || command -v python3 || echo python3.11)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NB     ?=
SEEDS  ?= 0 1 2 3 4
NBVAL  ?= auto
LAB_ARGS ?=
# (jupyter refuses to run as root, as in containers, unless told: make adds --allow-root there)

# Quiet, reproducible TensorFlow for every command (setup_notebook sets them too).
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0
# Pinned arithmetic: the same bits on most x86-64 CPUs with AVX2, not all (course_utils/setup.py
# PORTABLE_ENV has the same values and the reasons; bench/fingerprint.md the measurement).
# A value set in the environment wins: `ONEDNN_MAX_CPU_ISA=ALL make check` tries other kernels.
export ONEDNN_MAX_CPU_ISA ?= AVX2
export OPENBLAS_NUM_THREADS ?= 1
export OPENBLAS_CORETYPE ?= Haswell

.PHONY: lab test check seeds notebooks bench fingerprint compat lock clean

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "error: $(PYTHON) is Python %d.%d; the course is pinned for Python 3.11 (set PYTHON=...)" % v)'
	@echo "Setting up $(VENV) from requirements.txt (first time: about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# JupyterLab settings for the course (no news pop-up, a closed tab shuts its kernel down);
# Binder's postBuild installs the same file.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): tools/jupyterlab-overrides.json $(STAMP)
	mkdir -p $(dir $@) && cp $< $@

lab: $(STAMP) $(LAB_SETTINGS)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/notebooks/00_sequences.ipynb $(LAB_ARGS)

# The notebooks' mode (strict --nbval or lax --nbval-lax) comes from the fingerprint comparison,
# which prints one line saying which and why.
test: $(STAMP)
	@mode=$$(NBVAL=$(NBVAL) $(BIN)/python tools/fingerprint.py nbval-flag) && \
	echo "$(BIN)/python -m pytest ... $$mode ..." && \
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile \
		$$mode --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout=900 \
		tests notebooks

check: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile \
		--nbval-lax --nbval-cell-timeout=900 $(or $(NB),notebooks)

seeds: $(STAMP)
	$(BIN)/python tools/notebooks.py seeds $(NB) --seeds $(SEEDS)

notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py run $(NB)

bench: $(STAMP)
	$(BIN)/python tools/notebooks.py bench $(NB)

fingerprint: $(STAMP)
	$(BIN)/python tools/fingerprint.py compare

compat: $(STAMP)
	$(BIN)/python tools/compat.py

lock:
	$(PYTHON) tools/lock.py

clean:
	rm -rf $(VENV)
