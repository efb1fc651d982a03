#!/usr/bin/env bash
# Starts a private PostgreSQL 15 cluster on 127.0.0.1:${PGPORT:-5433} with a database
# aimaq_test owned by aimaq/aimaq, and prints the export line for AIMAQ_TEST_DATABASE_URL.
# Usage: eval "$(.ci/postgres.sh start)"   |   .ci/postgres.sh stop DATADIR
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
case "${1:-start}" in
start)
    if [ ! -x "$PGBIN/initdb" ]; then
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    PGPORT=${PGPORT:-5433}
    PGDATA=$(mktemp -d /tmp/aimaq-pg.XXXXXX)
    SOCK=$(mktemp -d /tmp/aimaq-pgsock.XXXXXX)
    chown postgres:postgres "$PGDATA" "$SOCK"
    chmod 700 "$PGDATA"
    runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >&2
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $SOCK" start >&2
    psql -h "$SOCK" -p "$PGPORT" -U postgres -q -c "CREATE ROLE aimaq LOGIN CREATEDB PASSWORD 'aimaq'" \
        -c "CREATE DATABASE aimaq_test OWNER aimaq" >&2
    echo "export AIMAQ_TEST_DATABASE_URL=postgres://aimaq:aimaq@127.0.0.1:$PGPORT/aimaq_test"
    echo "export AIMAQ_PGDATA=$PGDATA"
    ;;
stop)
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$2" -m fast -w stop >&2 || true
    ;;
esac
