# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := .trust/demo-extracts
PORT   ?= 8501

.PHONY: setup run test demo validate lint docs golden bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	@touch $(STAMP)

# Written again whenever the demo's generator changes, so a pull never leaves an old demo behind.
$(DEMO)/.trust-demo: $(wildcard trust/demo/*.py) | $(STAMP)
	$(BIN)/trust demo --out $(DEMO)

demo: $(STAMP)
	$(BIN)/trust demo --out $(DEMO)

run: setup $(DEMO)/.trust-demo
	@echo "The trust dashboard is starting on http://localhost:$(PORT)"
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Two processes (or one per core, up to four), each taking whole test files: a module's fixtures (a Spark
# session, a served app) are started once, in one process.
test: setup
	$(BIN)/python -m pytest --numprocesses auto --maxprocesses 4 --dist loadfile

validate: setup
	$(BIN)/trust validate

lint: setup
	$(BIN)/ruff check .

docs: setup
	$(BIN)/python -m trust.docs

golden: setup
	$(BIN)/python -m tests.record_golden

# Bytecode first, as an installed package has it (pip compiles it; PYTHONDONTWRITEBYTECODE=1 would otherwise
# leave every run compiling trust/ from source, which a deployed process never does).
bench: setup
	$(BIN)/python -m compileall -q trust app.py pages
	$(BIN)/python bench/checks.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/load.py --soak

clean:
	rm -rf $(VENV) .trust .pytest_cache .ruff_cache
