#!/usr/bin/env bash
# Start RabbitMQ when it is not running and enable the management API (used by the
# test harness to create a throwaway virtual host per test).
set -euo pipefail
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  echo "[setup] starting rabbitmq-server"
  rabbitmq-server -detached
  for _ in $(seq 1 60); do
    rabbitmqctl -q status >/dev/null 2>&1 && break
    sleep 1
  done
  rabbitmqctl -q await_startup >/dev/null
fi
if ! rabbitmq-plugins -q list -e rabbitmq_management 2>/dev/null | grep -q rabbitmq_management; then
  echo "[setup] enabling rabbitmq_management"
  rabbitmq-plugins -q enable rabbitmq_management >/dev/null
fi
for _ in $(seq 1 30); do
  python3 - <<'PY' && exit 0
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 15672)) == 0 else 1)
PY
  sleep 1
done
echo "RabbitMQ management API did not come up on 127.0.0.1:15672" >&2
exit 1
