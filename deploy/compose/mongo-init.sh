#!/bin/sh
# One-shot job, run in mongo1's network namespace so that, on a fresh replica set, its
# connection uses MongoDB's localhost exception: initiate the replica set rs0, wait for
# a primary, create the root user and the services' user (readWrite on tgd_* only).
# Idempotent: once the root user exists the job authenticates as it instead, and
# re-running it re-applies the services' user (and so rotates its password).
set -eu
MONGO="mongosh --quiet --host 127.0.0.1"
ROOT="-u $MONGO_ROOT_USER -p $MONGO_ROOT_PASSWORD --authenticationDatabase admin"
until $MONGO --eval 'db.adminCommand("ping").ok' >/dev/null 2>&1; do sleep 1; done
AUTH=""
# shellcheck disable=SC2086
if $MONGO $ROOT --eval '1' >/dev/null 2>&1; then AUTH=$ROOT; fi
# shellcheck disable=SC2086
if ! $MONGO $AUTH --eval 'rs.status().ok' >/dev/null 2>&1; then
  $MONGO --eval 'rs.initiate({_id: "rs0", members: [
      {_id: 0, host: "mongo1:27017", priority: 2},
      {_id: 1, host: "mongo2:27017"},
      {_id: 2, host: "mongo3:27017"}]})'
fi
# shellcheck disable=SC2086
until $MONGO $AUTH --eval 'db.hello().isWritablePrimary' 2>/dev/null | grep -q true; do sleep 1; done
# shellcheck disable=SC2086
$MONGO $AUTH --eval '
  const admin = db.getSiblingDB("admin");
  const env = process.env;
  if (!admin.getUser(env.MONGO_ROOT_USER)) {
    admin.createUser({user: env.MONGO_ROOT_USER, pwd: env.MONGO_ROOT_PASSWORD, roles: ["root"]});
    admin.auth(env.MONGO_ROOT_USER, env.MONGO_ROOT_PASSWORD);
  }
  const roles = ["referral", "evaluation", "device", "alert", "notify"]
    .map((service) => ({role: "readWrite", db: "tgd_" + service}));
  if (admin.getUser(env.MONGO_APP_USER)) {
    admin.updateUser(env.MONGO_APP_USER, {pwd: env.MONGO_APP_PASSWORD, roles: roles});
  } else {
    admin.createUser({user: env.MONGO_APP_USER, pwd: env.MONGO_APP_PASSWORD, roles: roles});
  }
  print("mongo: replica set rs0 and users ready");
'
