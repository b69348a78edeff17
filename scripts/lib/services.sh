# Test services on loopback, started by scripts/test and stopped by its trap.
# Source this file; call start_postgres, then stop_services on exit.
# shellcheck shell=bash

RD_SERVICES_DIR=""
RD_PG_BIN=""
RD_PG_DATA=""

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Runs a command as the postgres user when we are root (initdb refuses root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

services_dir() {
    if [ -z "$RD_SERVICES_DIR" ]; then
        RD_SERVICES_DIR=$(mktemp -d /tmp/resellerdesk-services.XXXXXX)
        chmod 755 "$RD_SERVICES_DIR"
    fi
}

# Starts a throw-away PostgreSQL server on 127.0.0.1 with password
# authentication and exports RESELLERDESK_TEST_PG_URL.
start_postgres() {
    services_dir
    RD_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$RD_PG_BIN" ]; then
        echo "services: PostgreSQL server binaries not found (package postgresql)" >&2
        return 1
    fi
    local pg="$RD_SERVICES_DIR/pg"
    RD_PG_DATA="$pg/data"
    mkdir -p "$RD_PG_DATA" "$pg/socket"
    chmod 700 "$RD_PG_DATA"
    local password
    password="rd-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" > "$pg/pwfile"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$pg"
    fi

    as_pg "$RD_PG_BIN/initdb" -D "$RD_PG_DATA" -U rdtest --pwfile="$pg/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$pg/initdb.log" 2>&1 || {
        cat "$pg/initdb.log" >&2
        return 1
    }
    rm -f "$pg/pwfile"

    local port
    port=$(free_port)
    as_pg "$RD_PG_BIN/pg_ctl" -D "$RD_PG_DATA" -l "$pg/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $pg/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || {
        cat "$pg/server.log" >&2
        return 1
    }
    export RESELLERDESK_TEST_PG_URL="postgresql://rdtest:${password}@127.0.0.1:${port}/postgres"
    echo "services: PostgreSQL $("$RD_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_services() {
    if [ -n "$RD_PG_DATA" ] && [ -d "$RD_PG_DATA" ]; then
        as_pg "$RD_PG_BIN/pg_ctl" -D "$RD_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$RD_SERVICES_DIR" ]; then
        rm -rf "$RD_SERVICES_DIR"
    fi
}
