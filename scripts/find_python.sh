#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter, or explains what is missing and fails.
# Order: $PYTHON if set, then python3.13/python3.12/python3 on PATH, then pyenv's installed versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.14 python3.13 python3.12 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for d in $(ls -d "$pyenv_root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
  candidates+=("$d/bin/python3")
done
for c in "${candidates[@]}"; do
  if [ -x "$c" ] || command -v "$c" >/dev/null 2>&1; then
    if ok "$c"; then echo "$c"; exit 0; fi
  fi
done
echo "The GMG Portal needs Python 3.12 or newer and none was found." >&2
echo "Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.13') or set PYTHON=/path/to/python3.12." >&2
exit 1
