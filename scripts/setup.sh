#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian 12 machine (as root), idempotently:
# RabbitMQ (installed and started when absent, management API enabled), Debian's chromium
# (browser tests), the .venv with
# every pinned dependency, the project's packages in editable mode (with dev/: tgd-dev and the
# tests' support code, which no image installs), and the AsyncAPI parser
# (npm, tools/asyncapi) that validates docs/asyncapi.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. RabbitMQ ---------------------------------------------------------------
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "installing rabbitmq-server"
  apt_install rabbitmq-server
fi
bash scripts/ensure-rabbitmq.sh

# 2. Python environment -----------------------------------------------------
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "Python 3.11 or newer is required (found: $("$PYTHON" --version 2>&1))" >&2; exit 1
fi
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi
stamp=.venv/.tgd-installed
want=$(cat requirements/*.txt libs/*/pyproject.toml services/*/pyproject.toml gateway/pyproject.toml console/pyproject.toml cli/pyproject.toml dev/pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing pinned dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt -r requirements/test.txt
  editable=()
  for d in libs/contracts libs/servicekit libs/partner_consumer services/* gateway console cli dev; do
    [ -f "$d/pyproject.toml" ] && editable+=(-e "$d")
  done
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt --no-deps "${editable[@]}"
  echo "$want" > "$stamp"
fi
# 2b. Chromium (Debian's): the operator console's browser tests (tests/browser) drive it with
# Playwright; Playwright never downloads a browser of its own here.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium (browser tests of the operator console)"
  apt_install chromium
fi
# 2c. openapi-python-client in its own venv (it pins typer<0.28; the CLI needs 0.29): the contract
# test regenerates a partner's Python client from the live OpenAPI (tests/contract/test_generated_client.py).
opc=tools/openapi-client
if [ "$(cat $opc/.venv/.tgd-installed 2>/dev/null)" != "$(sha256sum $opc/requirements.txt | cut -d' ' -f1)" ]; then
  log "installing openapi-python-client (tools/openapi-client/.venv)"
  [ -x $opc/.venv/bin/python ] || "$PYTHON" -m venv $opc/.venv
  $opc/.venv/bin/python -m pip install -q --disable-pip-version-check -r $opc/requirements.txt
  sha256sum $opc/requirements.txt | cut -d' ' -f1 > $opc/.venv/.tgd-installed
fi
# 3. AsyncAPI parser (node): validates docs/asyncapi.yaml offline in the contract tests --
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing nodejs and npm (for the AsyncAPI parser)"
  apt_install nodejs npm
fi
lock=tools/asyncapi/package-lock.json
if [ "$(cat tools/asyncapi/node_modules/.tgd-installed 2>/dev/null)" != "$(sha256sum "$lock" | cut -d' ' -f1)" ]; then
  log "installing the AsyncAPI parser (npm ci, tools/asyncapi)"
  (cd tools/asyncapi && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  sha256sum "$lock" | cut -d' ' -f1 > tools/asyncapi/node_modules/.tgd-installed
fi
log "ready: .venv/bin/tgd (operations), .venv/bin/tgd-dev (development tooling)"
