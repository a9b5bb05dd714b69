#!/usr/bin/env bash
# Prints the first Python whose sqlite3 module can load extensions
# (Debian's /usr/bin/python3 can; a pyenv build often cannot). $PYTHON wins.
for p in ${PYTHON:-} /usr/bin/python3 python3 python; do
  if "$p" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' >/dev/null 2>&1; then
    command -v "$p"
    exit 0
  fi
done
exit 1
