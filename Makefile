# Every target sets itself up from nothing: a local virtual environment and the install.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install test demo lint cassettes bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: lint
	$(PY) -m pytest

demo: install
	$(PY) examples/run_all.py

# Re-record every cassette: against the live service when MODELVERSE_API_KEY is set,
# otherwise against the local stand-in server.
cassettes: install
	$(PY) -m pytest --record-mode=rewrite -p no:randomly $(if $(MODELVERSE_API_KEY),--allowed-hosts='.*',)

bench: install
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
