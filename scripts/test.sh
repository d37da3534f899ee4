#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run every test suite. nameko suites run under
# eventlet (`nameko test`), the FastAPI and end-to-end suites in a plain pytest
# process: the two must not share a process. Exit code 5 (no tests collected)
# counts as success for a suite that may be empty.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

PY=.venv/bin
status=0
run_suite() {  # name, command...
  local name=$1; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then rc=0; echo "(no tests in $name)"; fi
  [ "$rc" -ne 0 ] && status=1
  return 0
}

run_suite "lint (ruff)" $PY/ruff check .
run_suite "format (ruff)" $PY/ruff format --check .
run_suite "contracts snapshots" $PY/tgd contracts check
run_suite "contracts compatibility (previous snapshots)" $PY/tgd contracts compat
run_suite "AsyncAPI document up to date" $PY/tgd contracts asyncapi --check

service_suites=(libs/servicekit/tests/integration)
for d in services/*/tests; do [ -d "$d" ] && service_suites+=("$d"); done
run_suite "services (nameko, eventlet)" $PY/nameko test -p no:cacheprovider "${service_suites[@]}" "$@"

# The services' database tests again on the durable local store (SecantusDB, the default of
# `tgd up`): the real MongoDB wire path through pymongo, in a throwaway directory.
db_suites=(libs/servicekit/tests/integration)
for d in services/*/tests/service services/*/tests/integration; do [ -d "$d" ] && db_suites+=("$d"); done
store_dir=$(mktemp -d -t tgd-test-store-XXXXXX)
store_port=$($PY/python -c 'from tgd_servicekit.testing.processes import free_port; print(free_port())')
$PY/tgd-store --storage-path "$store_dir/store" --port "$store_port" >"$store_dir/store.log" 2>&1 &
store_pid=$!
stop_store() { kill "$store_pid" 2>/dev/null; wait "$store_pid" 2>/dev/null; rm -rf "$store_dir"; }
trap stop_store EXIT
store_uri="mongodb://127.0.0.1:$store_port/?directConnection=true"
if $PY/python -c "from tgd_servicekit.local_store import wait_for_store; wait_for_store('$store_uri', 90)"; then
  TGD_TEST_MONGODB_URI=$store_uri run_suite "services on the local store (nameko, eventlet)" \
    $PY/nameko test -p no:cacheprovider "${db_suites[@]}" "$@"
else
  echo "the local store did not start:"; cat "$store_dir/store.log"; status=1
fi
stop_store; trap - EXIT

plain_suites=(libs/contracts/tests libs/servicekit/tests/unit libs/partner_consumer/tests gateway/tests console/tests cli/tests dev/tests tests)
existing=(); for d in "${plain_suites[@]}"; do [ -d "$d" ] && existing+=("$d"); done
run_suite "contracts, gateway, cli, dev, end-to-end (pytest)" $PY/pytest -p no:cacheprovider "${existing[@]}" "$@"

if [ "$status" -ne 0 ]; then printf '\n\033[31mSOME SUITES FAILED\033[0m\n'; else printf '\n\033[32mALL SUITES PASSED\033[0m\n'; fi
exit $status
