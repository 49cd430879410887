.PHONY: demo test serve lint

# Run Tend with synthetic demo data on the embedded SQLite database.
demo:
	@scripts/bootstrap.sh
	@.venv/bin/tend demo

# Run the whole test suite (SQLite, PostgreSQL, browser).
test:
	@scripts/test.sh

lint:
	@scripts/bootstrap.sh
	.venv/bin/ruff check . && .venv/bin/mypy tend && .venv/bin/djlint --lint tend/
