# Backprop Lessons: every command a learner, an instructor or CI needs (`make help` lists them).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
# Exact versions CI tests with; on other Pythons only pyproject's lower bounds apply.
CONSTRAINTS := -c constraints.txt
# The Jupyter server refuses to run as root unless told it may (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT ?= 8888
# Small networks train 2-3x faster on one BLAS thread than with threads fighting
# over 2 cores; tests and notebook runs use one, so their timings are repeatable.
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# The learner's work folder (git-ignored): `make lab` opens it, so notebooks/ stays as the course ships it.
WORK ?= my-work
# Both editions, every committed notebook: strict nbval compares their stored outputs.
EDITIONS := $(wildcard notebooks/*.ipynb solutions/*.ipynb)
# OpenBLAS kernels for nbval: "native" (the environment as given) and two others this CPU can run,
# chosen from /proc/cpuinfo by tools/kernels.py; `make test KERNELS="native Prescott"` overrides.
# (Expanded only inside recipes, so after the venv exists.)
KERNELS ?= $(shell $(PY) tools/kernels.py choose)
NBVAL_JOBS = $(addprefix nbval-,$(KERNELS))
# Independent jobs side by side on 2 cores, each one's output in one block (tools/jobs.py).
RUN_JOBS = $(PY) tools/jobs.py --jobs 2

.PHONY: help lab test ci test-suite py-oldest-lowest py-newest-newest unit lint format notebooks course bench constraints clean

## help         list every target with what it does
help:
	@sed -n 's/^## //p' Makefile

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Stamp files make a second `make lab` skip the install (seconds, not a minute)
# until pyproject.toml or constraints.txt change.

# .installed-lab: the course and JupyterLab / Notebook 7 (the [lab] extra).
$(VENV)/.installed-lab: pyproject.toml constraints.txt | $(PY)
	$(PIP) install -q $(CONSTRAINTS) -e '.[lab]'
	$(PY) -m backprop_lessons._jupyter
	@touch $@

# .installed-test: also the test tools and nbgrader (browser tests drive JupyterLab, so [lab] too).
$(VENV)/.installed-test: pyproject.toml constraints.txt | $(PY)
	$(PIP) install -q $(CONSTRAINTS) -e '.[lab,test,instructor]'
	$(PY) -m backprop_lessons._jupyter
	@touch $@ $(VENV)/.installed-lab

# .installed-bench: micrograd, the peer of the scalar engine (make unit runs without it).
$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install -q $(CONSTRAINTS) -e '.[lab,test,instructor,bench]'
	@touch $@

$(VENV)/.installed-lint: pyproject.toml constraints.txt | $(PY)
	$(PIP) install -q $(CONSTRAINTS) -e '.[lint]'
	@touch $@

## lab          create .venv, install the course with JupyterLab, copy it into my-work/ and open that (PORT=8888)
lab: $(VENV)/.installed-lab
	$(PY) tools/work_folder.py sync --course notebooks --work $(WORK)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(WORK) $(ROOT_FLAG)

## test         every test: the suite once (unit, property, browser, nbgrader), ruff, and strict nbval of both editions under 3 OpenBLAS kernels
test: $(VENV)/.installed-bench $(VENV)/.installed-lint
	@test -n "$(NBVAL_JOBS)" || { echo "make test: tools/kernels.py chose no OpenBLAS kernel"; exit 1; }
	MAKE="$(MAKE)" $(RUN_JOBS) test-suite lint $(NBVAL_JOBS)

## ci           what .ci/run runs: make test + the oldest Python with the lowest versions + the newest with the newest
ci: $(VENV)/.installed-bench $(VENV)/.installed-lint
	@test -n "$(NBVAL_JOBS)" || { echo "make ci: tools/kernels.py chose no OpenBLAS kernel"; exit 1; }
	MAKE="$(MAKE)" $(RUN_JOBS) test-suite py-oldest-lowest py-newest-newest lint $(NBVAL_JOBS)

## test-suite   the test suite alone, once: unit, property, browser and nbgrader tests (no nbval)
test-suite: $(VENV)/.installed-bench
	$(ONE_THREAD) $(PY) -m pytest tests

# nbval-native, nbval-SkylakeX, ...: strict nbval of both editions under one OpenBLAS kernel.
# tools/kernels.py (a pytest plugin here) checks inside every notebook's kernel that this is the
# kernel really running, and names it in each failure: notebooks/05_….ipynb::Cell 28[SkylakeX].
# A named kernel also caps numpy's own SIMD code at that CPU's features (NPY_DISABLE_CPU_FEATURES).
nbval-%: $(VENV)/.installed-test
	$(ONE_THREAD) $(shell $(PY) tools/kernels.py env $*) $(PY) -m pytest -p tools.kernels \
		--openblas-kernel=$* --nbval --nbval-current-env -p no:cacheprovider $(EDITIONS)

# The oldest supported Python with the lowest versions pyproject allows, the newest with the newest
# releases; each in a throw-away venv (tools/python_jobs.py).
## py-oldest-lowest  Python 3.10 with the lowest versions pyproject allows: unit suite + every notebook, in a throw-away venv
py-oldest-lowest: $(VENV)/.installed-test
	$(PY) tools/python_jobs.py oldest-lowest

## py-newest-newest  the newest Python with the newest releases: unit suite + every notebook, in a throw-away venv
py-newest-newest: $(VENV)/.installed-test
	$(PY) tools/python_jobs.py newest-newest

## unit         the unit and property tests only (no browser, no notebooks; micrograd optional)
unit: $(VENV)/.installed-test
	$(ONE_THREAD) $(PY) -m pytest tests -m "not browser"

## lint         ruff check and ruff format --check (configured in pyproject.toml)
lint: $(VENV)/.installed-lint
	$(VENV)/bin/ruff check backprop_lessons tests benchmarks tools
	$(VENV)/bin/ruff format --check backprop_lessons tests benchmarks tools

## format       ruff format and ruff check --fix, in place
format: $(VENV)/.installed-lint
	$(VENV)/bin/ruff format backprop_lessons tests benchmarks tools
	$(VENV)/bin/ruff check --fix backprop_lessons tests benchmarks tools

# The source notebooks to work on: every one, or those whose number is in NB.
NB ?=
SOURCES = $(if $(NB),$(foreach n,$(NB),$(wildcard solutions/$(n)_*.ipynb)),$(wildcard solutions/*.ipynb))
# nbgrader (the [instructor] extra) shells out to `alembic`: the venv's bin goes first on PATH.
VENV_PATH = PATH="$(abspath $(VENV))/bin:$$PATH"

## notebooks    regenerate the learner edition (notebooks/) from its source (solutions/) and re-execute both; NB=05 (or NB="04 05") does only those
notebooks: $(VENV)/.installed-test
	@test -n "$(SOURCES)" || { echo "no source notebook solutions/$(NB)_*.ipynb"; exit 2; }
	$(VENV_PATH) $(ONE_THREAD) $(PY) tests/notebook_tools.py editions $(SOURCES)

## course       an nbgrader course directory for a class: make course COURSE=DIR [NB=04] (README, "For instructors")
course: $(VENV)/.installed-test
	@test -n "$(COURSE)" || { echo "usage: make course COURSE=~/backprop-course [NB=04]"; exit 2; }
	$(PY) tests/notebook_tools.py course $(COURSE) $(SOURCES)

## bench        measure speed against peers, write benchmarks/results.md and the README's speed section (heavy: minutes)
bench: $(VENV)/.installed-bench
	$(PY) benchmarks/run.py

## constraints  regenerate constraints.txt from the installed versions (Python 3.11)
constraints: $(VENV)/.installed-bench $(VENV)/.installed-lint
	@{ echo '# Exact versions CI tests with (Python 3.11, Linux). Generated by '"'"'make constraints'"'"'.'; \
	   echo "# Only applied on Python 3.11: other Pythons get pyproject's lower bounds and pip's newest fits."; \
	   $(PIP) freeze --exclude-editable | grep -vi '^backprop' | sed 's/$$/ ; python_version == "3.11"/'; } > constraints.txt

## clean        remove .venv and test caches (the next make rebuilds them; my-work/ is kept)
clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/artifacts .jobs
