#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole system on this machine, in the
# foreground: RabbitMQ, every service and the gateway. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/tgd up "$@"
