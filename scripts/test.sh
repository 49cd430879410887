#!/usr/bin/env bash
# The whole test suite: lint and types, then every test on SQLite and on PostgreSQL,
# then the browser tests in headless Chromium. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_ALLOW_ASYNC_UNSAFE=true TEND_DATA_DIR="${TEND_DATA_DIR:-$PWD/var/test}"
workers="${TEND_TEST_WORKERS:-2}"

echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy tend
echo "== djlint"; .venv/bin/djlint --lint tend/ --quiet

echo "== tests on SQLite"
.venv/bin/pytest -n "$workers" -m "not browser" -q
echo "== tests on PostgreSQL"
scripts/with-postgres.sh .venv/bin/pytest -n "$workers" -m "not browser" -q
echo "== browser tests (Chromium, SQLite)"
if [ ! -x "${TEND_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "Chromium not found at ${TEND_CHROMIUM:-/usr/bin/chromium} (Debian: apt-get install --no-install-recommends chromium)." >&2
  exit 1
fi
.venv/bin/pytest -m browser -q
