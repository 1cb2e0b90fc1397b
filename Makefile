# perfkg: `make demo` and `make test` set everything up themselves (venv, packages, chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := out

.PHONY: setup demo test bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	mkdir -p $(OUT)
	$(BIN)/perfkg extract examples/documents -o $(OUT)/records.json

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/extract_speed.py

clean:
	rm -rf $(OUT) .pytest_cache
