# The two commands of the README:
#   make run    set everything up, start Kafka + a worker + the demo source; Ctrl-C stops
#   make test   set everything up, lint, type-check, unit tests, integration tests
.PHONY: setup run test lint unit integration bench clean

VENV := .venv/bin
# the dashboards test runs a real Prometheus (Debian package); setup installs it
export NEWSMON_WITH_PROMETHEUS ?= 1

setup:
	@bash scripts/setup.sh

run: setup
	$(VENV)/newsmon run

lint: setup
	$(VENV)/ruff check .
	$(VENV)/mypy

unit: setup
	$(VENV)/pytest -q tests/unit

integration: setup
	$(VENV)/pytest -q -m integration tests/integration

test: lint unit integration

bench: setup
	$(VENV)/python bench/run_all.py

clean:
	rm -rf .venv build *.egg-info
