# Two commands matter: `make run` and `make test`. Both build .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STORE ?= var/store
STAMP := $(VENV)/.installed

.PHONY: install run test bench soak browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Loads reference data (once) and the sample reports (unchanged files are skipped), then serves.
run: install
	$(BIN)/cskg --store $(STORE) load-reference --if-missing
	$(BIN)/cskg --store $(STORE) load data/samples
	$(BIN)/cskg --store $(STORE) serve --host $(HOST) --port $(PORT)

# Browser tests need Debian's chromium; install it when absent (we run as root on CI).
browser-deps:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { echo "installing chromium + chromium-driver for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	    echo "warning: could not install chromium; browser tests will fail"; }

test: install browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# STORE=dir takes the store figures alone on a store built earlier; only a STORE given on the
# command line or in the environment counts (the default above is `make run`'s store)
bench: install
	$(BIN)/python -m benchmarks.run $(if $(FULL),--full,) $(if $(filter-out file,$(origin STORE)),--on-store $(STORE),)

soak: install
	$(BIN)/python -m benchmarks.soak

clean:
	rm -rf $(VENV) var build *.egg-info
