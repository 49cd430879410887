#!/usr/bin/env bash
# Install uv into the project (.tools/) if needed and sync the locked environment (.venv/).
# Works on a fresh machine: needs only Python 3.12 (pyenv's is used when present).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.9"
export UV_SYSTEM_CERTS=1 UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy

python=""
for candidate in "$(command -v pyenv >/dev/null 2>&1 && PYENV_VERSION=3.12 pyenv which python 2>/dev/null || true)" \
                 "$(command -v python3.12 || true)" "$(command -v python3 || true)"; do
  if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
    python="$candidate"; break
  fi
done
if [ -z "$python" ]; then
  echo "Tend needs Python 3.12 (e.g. 'pyenv install 3.12'); none was found." >&2
  exit 1
fi
export UV_PYTHON="$python"

if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "Installing uv $UV_VERSION into .tools/ ..."
  "$python" -m venv .tools
  .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
.tools/bin/uv sync --locked --quiet
