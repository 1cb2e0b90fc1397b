# perfkg: `make demo` and `make test` set everything up themselves (venv, packages, chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := out
# what `make demo` draws (perfkg viz); the screenshot of the bureau view is docs/bureau.png in the README
DEMO_BUREAU := 漳州市医疗保障局
DEMO_PROJECT := 城乡居民基本医疗保险市级配套
DEMO_CONCEPT := service-recipient-satisfaction
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars

.PHONY: setup browser virtuoso demo lint test bench model clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The browser tests and the demo screenshot need Debian's chromium (Playwright drives it; it
# never downloads browsers) and a CJK font for the labels. CI runs as root; elsewhere sudo is used.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qiE 'wqy|cjk'; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-microhei; }

# tests/test_virtuoso.py loads into and queries Virtuoso (Debian's virtuoso-opensource; the tests start their own
# throwaway database on loopback, so the package's service is never started). CI runs as root; elsewhere sudo.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource; }

# No root and no chromium needed: without chromium the screenshot is skipped, saying how to get it.
demo: setup
	mkdir -p $(OUT)
	$(BIN)/perfkg extract examples/documents -o $(OUT)/records.json
	$(BIN)/perfkg build examples/documents -o $(OUT)/graph.ttl
	$(BIN)/perfkg viz --data $(OUT)/graph.ttl --project '$(DEMO_PROJECT)' -o $(OUT)/project.html
	$(BIN)/perfkg viz --data $(OUT)/graph.ttl --bureau '$(DEMO_BUREAU)' -o $(OUT)/bureau.html
	$(BIN)/perfkg viz --data $(OUT)/graph.ttl --concept '$(DEMO_CONCEPT)' -o $(OUT)/concept.html
	$(BIN)/perfkg query satisfaction_targets --data $(OUT)/graph.ttl --format csv > $(OUT)/satisfaction_targets.csv
	@if command -v chromium >/dev/null 2>&1; then \
	  chromium $(CHROMIUM_FLAGS) --user-data-dir=$(abspath $(OUT))/.chromium --window-size=1400,1000 \
	    --virtual-time-budget=5000 --screenshot=$(abspath $(OUT))/bureau.png file://$(abspath $(OUT))/bureau.html \
	    2>/dev/null; rm -rf $(OUT)/.chromium; echo "$(OUT)/bureau.png: screenshot of the bureau view"; \
	else echo "screenshot skipped: no chromium (make browser, or apt-get install chromium fonts-wqy-microhei)"; fi

# ruff over the repository, mypy over the library (configured in pyproject.toml). mypy cannot follow
# setup.cfg's package_dir, so it reads a perfkg/ tree of links to the folders (the same mapping).
MYPY_TREE := $(VENV)/mypy-tree
lint: setup
	$(BIN)/ruff check .
	rm -rf $(MYPY_TREE) && mkdir -p $(MYPY_TREE)/perfkg
	ln -s $(CURDIR)/perfkg/*.py $(MYPY_TREE)/perfkg/
	for d in extract kg ontology queries; do ln -s $(CURDIR)/$$d $(MYPY_TREE)/perfkg/$$d; done
	cd $(MYPY_TREE) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml \
	  --cache-dir $(CURDIR)/.mypy_cache -p perfkg

# The linters first: they take seconds and name the line, before the suite's minutes.
test: setup browser virtuoso lint
	$(BIN)/python -m pytest -n 2 --dist loadfile  # the two cores of CI: one test file per worker

# BENCH_FLAGS=--large adds the 10,000-document store (about half an hour) and the ratio to 1,000
bench: setup browser virtuoso
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/container_speed.py
	$(BIN)/python bench/store_bench.py $(BENCH_FLAGS)
	$(BIN)/python bench/remote_bench.py

# Refit the content model (extract/data/content_model.crfsuite) from the seeds, the dev set and
# generated documents, and the run-together cell model (extract/data/glue_model.crfsuite) from
# generated documents; a few minutes on one core.
model: setup
	$(BIN)/python -m perfkg.extract.content_training
	$(BIN)/python -m perfkg.extract.glue_training

# 10,000 mutated seed documents through the extractor in workers: uncaught exceptions, documents over
# 5 s CPU and peak worker memory (report in out/fuzz_report.json); `make test` runs a few hundred.
fuzz: setup
	mkdir -p $(OUT)
	$(BIN)/python bench/fuzz.py --cases 10000 --seed 1 --jobs 2 --json $(OUT)/fuzz_report.json

clean:
	rm -rf $(OUT) .pytest_cache
