#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter: $PYTHON if set, then python3.13/3.12/python3 on
# PATH, then pyenv installations (where bare shims refuse without a selected version).
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.12 python3.13 python3.14 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -V); do
    candidates+=("$(pyenv root)/versions/$v/bin/python3")
  done
fi
for dir in "$HOME"/.pyenv/versions/3.1[2-9]* /usr/local/bin /usr/bin; do
  for p in "$dir"/bin/python3 "$dir"/python3.1[2-9]; do [ -x "$p" ] && candidates+=("$p"); done
done
for p in "${candidates[@]}"; do
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "No Python 3.12 or newer found. Install one (e.g. apt-get install python3.12, or pyenv install 3.12) or set PYTHON=/path/to/python3.12." >&2
exit 1
