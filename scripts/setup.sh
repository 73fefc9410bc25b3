#!/usr/bin/env bash
# One-time set-up, safe to run again: .venv, the project and its test tools, and a Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" - <<'PY' || { echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv ..."
    "$PYTHON" -m venv .venv
fi

# Reinstall only when the dependency list changed since the last successful install.
stamp=.venv/.katip-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing isgkatip-rpa and its test tools into .venv ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
    echo "$want" > "$stamp"
fi

.venv/bin/python -m rpa.browser --ensure

# The test servers (tests/servers.py): a real redis-server and PostgreSQL, started per test session in
# temporary folders on loopback ports. Installed with apt-get when missing (Debian/Ubuntu as root);
# elsewhere the tests that need them are skipped, saying why.
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; }
if ! command -v redis-server > /dev/null || ! have_postgres; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "Installing redis-server and postgresql for the distributed tests ..."
        export DEBIAN_FRONTEND=noninteractive
        apt_opts=(-y -qq -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 --no-install-recommends)
        if ! apt-get install "${apt_opts[@]}" redis-server postgresql > /dev/null 2>&1; then
            apt-get update -qq -o DPkg::Lock::Timeout=300 > /dev/null 2>&1 || true
            apt-get install "${apt_opts[@]}" redis-server postgresql > /dev/null 2>&1 \
                || echo "note: could not install redis-server/postgresql; the distributed tests will be skipped." >&2
        fi
    else
        echo "note: redis-server or PostgreSQL is missing (install them as root: apt-get install redis-server" \
             "postgresql); the distributed tests will be skipped." >&2
    fi
fi
