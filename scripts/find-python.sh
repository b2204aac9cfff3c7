#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter (Mesa 3.5 needs it), or fail with a clear message.
# Order: $PYTHON, python3.13/python3.12/python3 on PATH, then pyenv's installed versions.
set -u
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12 python3)
for root in "${PYENV_ROOT:-$HOME/.pyenv}" /opt/pyenv /usr/local/pyenv; do
  for p in "$root"/versions/3.1[2-9]*/bin/python3; do [ -x "$p" ] && candidates+=("$p"); done
done
for c in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do [ -x "$c" ] && candidates+=("$c"); done
for c in "${candidates[@]}"; do
  exe=$(command -v "$c" 2>/dev/null) || continue
  # A pyenv shim exists even when its version is not selected; running it is the only true test.
  if "$exe" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    "$exe" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "error: no Python >= 3.12 found (tried: ${candidates[*]}); install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12" >&2
exit 1
