#!/usr/bin/env bash
# Makes sure a PostgreSQL server is reachable on 127.0.0.1:5432 with a role the store tests can
# use, installing it from Debian's packages and starting it when absent. Prints the URL to use.
#
#   eval "$(scripts/postgres.sh)"   # sets ACCOLADE_TEST_POSTGRES
set -euo pipefail

HOST=127.0.0.1
PORT=5432
ROLE=accolade
PASSWORD=accolade

SETUP_NAME=postgres.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

listening() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

if ! listening; then
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        log "PostgreSQL is not installed; installing it from Debian's packages"
        apt_install postgresql >&2
    fi
    log "starting PostgreSQL"
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
        as_root pg_createcluster "$version" main >&2
    fi
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
    as_root pg_ctlcluster $cluster start >&2 || as_root service postgresql start >&2
    for _ in $(seq 1 50); do listening && break; sleep 0.2; done
    listening || { log "PostgreSQL did not start on $HOST:$PORT"; exit 1; }
fi

# An admin connection: trust over TCP (as on the CI machines), or the postgres OS user over the
# socket (a fresh Debian install).
admin() {
    if psql -h "$HOST" -p "$PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        psql -h "$HOST" -p "$PORT" -U postgres -d postgres -Atq "$@"
    else
        as_root su postgres -c "psql -p $PORT -d postgres -Atq $(printf '%q ' "$@")"
    fi
}

if ! admin -c "select 1 from pg_roles where rolname = '$ROLE'" | grep -q 1; then
    admin -c "create role $ROLE login createdb password '$PASSWORD'" >/dev/null
fi

echo "export ACCOLADE_TEST_POSTGRES=postgres://$ROLE:$PASSWORD@$HOST:$PORT/postgres"
