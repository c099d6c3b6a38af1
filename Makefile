# Two commands a newcomer needs: `make build` and `make test`.
# Both bootstrap .venv from the pinned requirements.lock first; re-running is cheap (stamp file).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.agitprop-installed
BUILD_CHECK_DIR := $(or $(TMPDIR),/tmp)/agitprop-make-test-build
# The UI test drives Debian's Chromium (Playwright cannot download browsers here). Label Studio
# itself is installed into .studio/venv by `agitprop studio start`, which the tests call.
CHROMIUM := /usr/bin/chromium

.PHONY: build release test lint venv lock clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@echo ">> creating virtual environment in $(VENV) (pinned by requirements.lock)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -r requirements.lock
	@$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)
	@echo ">> environment ready"

build: $(STAMP)
	@echo ">> development build from seeds/ and annotations/ into dist/<name>/dev/"
	$(BIN)/agitprop build

# An immutable, versioned release: make release BUMP=minor (or patch, major).
BUMP ?= minor
release: $(STAMP)
	$(BIN)/agitprop release --bump $(BUMP)

lint: $(STAMP)
	@echo ">> ruff"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check builders tests benchmarks

# Installed once (a file target): quiet, with the apt log shown only if it fails.
$(CHROMIUM):
	@echo ">> installing Debian's chromium for the UI test (apt-get, once)"
	@log=$$(mktemp); (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium) >$$log 2>&1 \
		|| { cat $$log; rm -f $$log; exit 1; }; rm -f $$log

test: lint $(CHROMIUM)
	@echo ">> validating seeds/, annotations/ and a fresh build"
	$(BIN)/agitprop validate seeds annotations builders/rules
	@rm -rf $(BUILD_CHECK_DIR)
	$(BIN)/agitprop build --out $(BUILD_CHECK_DIR) --quiet
	$(BIN)/agitprop validate $(BUILD_CHECK_DIR)
	@echo ">> pytest"
	$(BIN)/python -m pytest

# Re-pin every dependency (run after changing pyproject.toml dependencies).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -U setuptools -e '.[dev]' sentencex pysbd simplemma
	.venv-lock/bin/pip freeze --all --exclude-editable | grep -vE "^(pip|agitprop)==" > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf dist $(VENV)
