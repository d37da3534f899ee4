#!/bin/sh
# One-shot job: the vhost `tgd` and the services' user with rights on it only.
# Idempotent: re-running it re-applies the same state (and rotates the password).
set -eu
api="http://rabbitmq:15672/api"
auth="$RABBITMQ_ADMIN_USER:$RABBITMQ_ADMIN_PASSWORD"
put() { curl -fsS -u "$auth" -H 'content-type: application/json' -X PUT "$api/$1" -d "$2"; }
put "vhosts/tgd" '{"default_queue_type": "quorum"}'
put "users/$RABBITMQ_SERVICES_USER" "{\"password\": \"$RABBITMQ_SERVICES_PASSWORD\", \"tags\": \"\"}"
put "permissions/tgd/$RABBITMQ_SERVICES_USER" '{"configure": ".*", "write": ".*", "read": ".*"}'
echo "rabbitmq: vhost tgd and user $RABBITMQ_SERVICES_USER ready"
