#!/bin/sh
# One-shot job: the vhost `tgd` (quorum queues by default) and the services' user with
# rights on it only, through the management API. Idempotent: re-running it re-applies the
# same state (and so sets a rotated password). RABBITMQ_API and RABBITMQ_VHOST exist for
# the test that runs this script against a local broker.
set -eu
api="${RABBITMQ_API:-http://rabbitmq:15672/api}"
vhost="${RABBITMQ_VHOST:-tgd}"
auth="$RABBITMQ_ADMIN_USER:$RABBITMQ_ADMIN_PASSWORD"
put() { curl -fsS -u "$auth" -H 'content-type: application/json' -X PUT "$api/$1" -d "$2"; }
put "vhosts/$vhost" '{"default_queue_type": "quorum"}'
put "users/$RABBITMQ_SERVICES_USER" "{\"password\": \"$RABBITMQ_SERVICES_PASSWORD\", \"tags\": \"\"}"
put "permissions/$vhost/$RABBITMQ_SERVICES_USER" '{"configure": ".*", "write": ".*", "read": ".*"}'
echo "rabbitmq: vhost $vhost and user $RABBITMQ_SERVICES_USER ready"
