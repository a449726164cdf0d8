# Station: `make run` starts Station on demo data, `make test` runs every check.
# Both create the virtual environment (.venv) and install what is needed on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint fuzz faults bench clean bundle msi screenshots documents

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@# QtPdf now comes from PySide6-Addons (pyproject.toml): the add-on wheel of 6.12 would
	@# clash with it in a virtual environment made before.
	$(BIN)/python -m pip uninstall --quiet --yes PySide6-Pdf 2>/dev/null || true
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m station_app

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Two workers (the CI machine has two cores), a test file to each at a time: 5 to 6 minutes
# rather than 11 on one. TEST_WORKERS=0 runs in this one process (pdb, -s).
TEST_WORKERS ?= 2

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# Schemathesis over the whole API as every role, far longer than the bounded run in `make
# test` (README, "Fuzzing the API"). FUZZ_SEED reproduces an earlier run.
FUZZ_EXAMPLES ?= 50
ifeq ($(FUZZ_SEED),)
FUZZ_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif

fuzz: $(STAMP)
	@echo "make fuzz: $(FUZZ_EXAMPLES) examples per operation, mode and role; seed $(FUZZ_SEED)"
	STATION_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) STATION_FUZZ_SEED=$(FUZZ_SEED) STATION_FUZZ_COVERAGE=1 \
		QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -s --timeout=0 \
		tests/unit/server/test_openapi_fuzz.py tests/unit/server/test_openapi_fuzz_postgres.py

# The server killed with kill -9 far more often than in `make test` (README, "Killing the
# server"). KILL_SEED replays an earlier run.
KILL_TRIALS ?= 30

faults: $(STAMP)
	STATION_KILL_TRIALS=$(KILL_TRIALS) STATION_KILL_SEED=$(KILL_SEED) QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -s --timeout=0 tests/e2e/test_server_kill.py

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/keystrokes.py
	$(BIN)/python bench/typeahead.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/incidents_list.py && $(BIN)/python bench/incidents_outbox.py && QT_QPA_PLATFORM=offscreen $(BIN)/python bench/incidents_letter.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/frozen_startup.py
	$(BIN)/python bench/casefiles_completeness.py && $(BIN)/python bench/casefiles_keys.py && QT_QPA_PLATFORM=offscreen $(BIN)/python bench/casefiles_bundle.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/custody_board.py && $(BIN)/python bench/custody_pdf.py && $(BIN)/python bench/custody_compliance.py
	$(BIN)/python bench/people_eval.py && $(BIN)/python bench/people_search.py
	$(BIN)/python bench/journey_chain.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/known_person.py
	$(BIN)/python bench/incidents_search.py && $(BIN)/python bench/audit_list.py
	$(BIN)/python bench/force_load.py

# Every tab for every role at 100% and 150% on a 1366x768 window, and at 100% in the dark and
# high-contrast themes, for a reviewer to look at.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py build/screenshots \
		--theme dark --theme high-contrast

# Every printed document from synthetic demo data, checked (qpdf, pdffonts, same bytes) and
# rendered page by page to PNG in build/documents, for a reviewer to look at.
documents: $(STAMP)
	$(BIN)/python tools/documents.py build/documents

# Packaging (installer/README.md): the frozen one-folder bundle in dist/Station, smoke-tested
# headless right after it is built; then the MSI from it, built with wixl and checked.
bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/station.spec
	$(BIN)/python installer/smoke_test.py dist/Station

msi: $(STAMP)
	@if command -v wixl >/dev/null && command -v msiinfo >/dev/null; then \
		$(BIN)/python installer/msi.py build && $(BIN)/python installer/msi.py check; \
	else \
		echo "make msi: wixl and msiinfo are not installed (apt-get install wixl msitools); no MSI built."; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
