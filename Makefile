# Every target sets itself up from nothing: a local virtual environment and the install.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HASH := $(shell cksum pyproject.toml | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(HASH)
# The same suite on openai 2.x (httpx), which llama-index's OpenAI packages still require
# (less the tests marked `once`, which run in the main environment only: those that start worker
# processes, and those that check what the SDK's major version does not change).
VENV2 ?= .venv-openai2
STAMP2 := $(VENV2)/.installed-$(HASH)
# Benchmarks install the peer packages into their own environment, never as runtime dependencies.
VENVB ?= .venv-bench
STAMPB := $(VENVB)/.installed-$(HASH)

.PHONY: install test test-openai2 test-real cassettes-real demo lint docs docs-serve cassettes bench dist clean fuzz

# Installs go through uv (itself from PyPI): the same resolution as pip, in seconds, and compiled
# to bytecode as pip does (a machine may set PYTHONDONTWRITEBYTECODE, and every test process imports).
UV_INSTALL = -m pip install --quiet uv && $(1) -m uv pip install --quiet --compile-bytecode --python $(1)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) $(call UV_INSTALL,$(PY)) -e ".[dev,ray]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

$(STAMP2): pyproject.toml
	$(PYTHON) -m venv $(VENV2)
	$(VENV2)/bin/python $(call UV_INSTALL,$(VENV2)/bin/python) -e ".[dev]" "openai<3"
	rm -f $(VENV2)/.installed-*
	touch $(STAMP2)

$(STAMPB): pyproject.toml
	$(PYTHON) -m venv $(VENVB)
	$(VENVB)/bin/python $(call UV_INSTALL,$(VENVB)/bin/python) -e ".[bench]"
	rm -f $(VENVB)/.installed-*
	touch $(STAMPB)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Two pytest workers (pytest-xdist), one per core: every test is independent of the others.
XDIST = -n 2

test: lint docs
	$(PY) -m pytest $(XDIST)
	$(MAKE) test-openai2

# The installed-wheel tests (tests/distribution) check packaging, not the SDK: they run once, above.
test-openai2: $(STAMP2)
	$(VENV2)/bin/python -m pytest $(XDIST) -q --ignore=tests/distribution -m "not once"

# The documentation site (mkdocs.yml, docs/) into site/, every warning an error; docs-serve serves it
# on http://127.0.0.1:8000 and rebuilds on change. The test suite runs every Python block of the pages.
DOCS_ENV = NO_MKDOCS_2_WARNING=1

docs: install
	$(DOCS_ENV) $(PY) -m mkdocs build --strict

docs-serve: install
	$(DOCS_ENV) $(PY) -m mkdocs serve --strict

# The examples, each as a user runs it: live with MODELVERSE_API_KEY; without it, examples/run.py
# replays its cassette from cassettes/examples (the Ray example calls the local stand-in) and says so.
demo: install
	$(PY) examples/run_all.py

# Re-record every cassette: against the live service when MODELVERSE_API_KEY is set,
# otherwise against the local stand-in server.
cassettes: install
	$(PY) -m pytest --record-mode=rewrite -p no:randomly $(if $(MODELVERSE_API_KEY),--allowed-hosts='.*',)

# The real-server suite (tests/real) live against llama.cpp's llama-server on 127.0.0.1. The
# first run builds llama-server from source into ~/.cache/modelverse-integrations (about 15
# minutes on two cores); later runs reuse it. `make test` replays the suite's cassettes.
LLAMA_SERVER = PYTHON=$(abspath $(PY)) tests/real/build-llama-server.sh

# The property tests of tests/properties with the large "fuzz" budget (random cases, minutes) for
# release checks; make test runs the same properties with a fixed, derandomized budget of seconds.
# FUZZ_EXAMPLES sets another budget (cases per property before its share, default 5000).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(if $(FUZZ_EXAMPLES),HYPOTHESIS_MAX_EXAMPLES=$(FUZZ_EXAMPLES),) \
		$(PY) -m pytest tests/properties $(XDIST) -p no:randomly --timeout=0 --hypothesis-show-statistics -q

test-real: install
	BINARY="$$($(LLAMA_SERVER))" && $(PY) -m pytest tests/real --llama-server "$$BINARY" --disable-recording -q

# Re-record cassettes/real from llama-server.
cassettes-real: install
	BINARY="$$($(LLAMA_SERVER))" && $(PY) -m pytest tests/real --llama-server "$$BINARY" --record-mode=rewrite -p no:randomly

# Measures (benchmarks/results/latest.json), then renders the tables, the charts and docs/performance.md.
bench: $(STAMPB)
	$(VENVB)/bin/python -m benchmarks
	$(VENVB)/bin/python -m benchmarks.report

# The sdist and wheel of each distribution (each wheel built from its sdist) into dist/, checked.
DISTRIBUTIONS := . distributions/langchain-modelverse distributions/llama-index-llms-modelverse

dist: install
	rm -rf dist
	for project in $(DISTRIBUTIONS); do $(VENV)/bin/uv build --quiet --out-dir dist $$project || exit 1; done
	$(VENV)/bin/twine check --strict dist/*

clean:
	rm -rf $(VENV) $(VENV2) $(VENVB) build dist site *.egg-info .mypy_cache .ruff_cache
