# DebtKeeper: `make run` opens the window, `make test` runs the suite but its slow tests,
# `make test-all` runs them too,
# `make dist` builds the program that needs no Python into dist/DebtKeeper/ (docs/install.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DIST_STAMP := $(VENV)/.installed-dist

.PHONY: run test test-fast test-slow test-all bench lint screenshots clean dist dist-test install-desktop

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	print('\n'.join(p['dependencies'] + p['optional-dependencies']['test']))" > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -c constraints.txt -r $(VENV)/requirements.txt
	@# Optional password protection (SQLCipher): used when its wheel exists for this machine.
	$(PY) -m pip install --quiet -c constraints.txt sqlcipher3-binary \
	  || echo "note: sqlcipher3-binary is not available here; password protection stays off"
	touch $(STAMP)

# PyInstaller and its hooks, pinned in constraints.txt (the `dist` extra of pyproject.toml).
$(DIST_STAMP): $(STAMP)
	$(PY) -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']\
	['optional-dependencies']['dist']))" > $(VENV)/requirements-dist.txt
	$(PY) -m pip install --quiet -c constraints.txt -r $(VENV)/requirements-dist.txt
	touch $(DIST_STAMP)

run: $(STAMP)
	$(PY) main.py

# The tests marked slow (separate processes, crash loops, fuzzing) run in test-all and test-slow;
# the dist tests only in dist-test (pyproject.toml's addopts leaves them out of every run here).
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not dist"

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow and not dist"

test-slow: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "slow and not dist"

test-all: dist-test test

# The program for this machine, in dist/DebtKeeper/ (the executable: dist/DebtKeeper/debtkeeper).
dist: $(DIST_STAMP)
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/debtkeeper.spec

# Builds the program in a temporary copy of this folder and runs it with a clean environment.
dist-test: $(DIST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m dist tests/dist

# The menu entry, icons and metainfo in this user's folders, starting the built program when
# there is one, else this source tree.
install-desktop:
	if [ -x dist/DebtKeeper/debtkeeper ]; then sh dist/DebtKeeper/install-desktop.sh; \
	else sh packaging/linux/install-desktop.sh "$(abspath $(PY))" "$(abspath main.py)"; fi

bench: $(DIST_STAMP)  # bench_dist builds dist/DebtKeeper/ when it is missing
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy domain storage fileio services

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) docs/make_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
