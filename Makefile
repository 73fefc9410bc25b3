# The two commands of the README: `make demo` and `make test`. Both set up first (idempotent).
.PHONY: setup demo test lint bench portal cluster

setup:
	@bash scripts/setup.sh

demo: setup
	@.venv/bin/katip demo

portal: setup
	@.venv/bin/katip portal --test-mode

test: setup
	@.venv/bin/python -m pytest -q -p no:cacheprovider -n 3 --dist load

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/mypy

bench: setup
	@.venv/bin/python -m bench

# A local Redis and PostgreSQL for distributed runs (`katip worker`, `--distributed`), until Ctrl-C.
cluster: setup
	@.venv/bin/katip cluster up
