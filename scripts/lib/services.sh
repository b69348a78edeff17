# Test services on loopback, started by scripts/test and stopped by its trap.
# Source this file; call start_postgres, start_smtp and start_keyring, then
# stop_services on exit.
# shellcheck shell=bash

RD_SERVICES_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RD_SERVICES_DIR=""
RD_PG_BIN=""
RD_PG_DATA=""
RD_SMTP_PID=""
RD_BUS_PID=""
RD_KEYRING_PID=""

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
    # shared_buffers: 1 GB as a server for a million customers would be set
    # up (the default 128 MB holds less than customer_search alone, and the
    # benchmarks measured search p95 118-187 ms with it, 64 ms with 1 GB).
    # Allocated as it is used: the tests never fill it.
    as_pg "$RD_PG_BIN/pg_ctl" -D "$RD_PG_DATA" -l "$pg/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $pg/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=${RD_PG_SHARED_BUFFERS:-1GB}" \
        start >/dev/null || {
        cat "$pg/server.log" >&2
        return 1
    }
    export RESELLERDESK_TEST_PG_URL="postgresql://rdtest:${password}@127.0.0.1:${port}/postgres"
    echo "services: PostgreSQL $("$RD_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# Starts scripts/lib/smtp_server.py (aiosmtpd, Debian's /usr/bin/python3) on
# 127.0.0.1 with a fresh self-signed certificate and exports
#   RESELLERDESK_TEST_SMTP_PLAIN     host:port, no TLS, no AUTH
#   RESELLERDESK_TEST_SMTP_TLS       host:port, STARTTLS + AUTH PLAIN/LOGIN required
#   RESELLERDESK_TEST_SMTP_IMPLICIT  host:port, implicit TLS + AUTH LOGIN required
#   RESELLERDESK_TEST_SMTP_CA        the certificate (PEM) to trust
#   RESELLERDESK_TEST_SMTP_USER / RESELLERDESK_TEST_SMTP_PASSWORD
#   RESELLERDESK_TEST_SMTP_SPOOL     one JSON file per accepted message
start_smtp() {
    services_dir
    local smtp="$RD_SERVICES_DIR/smtp"
    mkdir -p "$smtp/spool"
    if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
        echo "services: /usr/bin/python3 cannot import aiosmtpd (package python3-aiosmtpd)" >&2
        return 1
    fi
    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=localhost" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$smtp/key.pem" -out "$smtp/cert.pem" >"$smtp/openssl.log" 2>&1 || {
        cat "$smtp/openssl.log" >&2
        return 1
    }
    local user=rdmail password
    password="rd-smtp-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    RESELLERDESK_TEST_SMTP_PASSWORD="$password" /usr/bin/python3 "$RD_SERVICES_LIB/smtp_server.py" \
        --cert "$smtp/cert.pem" --key "$smtp/key.pem" --spool "$smtp/spool" \
        --ready "$smtp/ready" --user "$user" >"$smtp/server.log" 2>&1 &
    RD_SMTP_PID=$!

    local tries=0
    while [ ! -s "$smtp/ready" ]; do
        if ! kill -0 "$RD_SMTP_PID" 2>/dev/null || [ $tries -ge 100 ]; then
            echo "services: the SMTP server did not start" >&2
            cat "$smtp/server.log" >&2
            return 1
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    local mode address plain="" tls="" implicit=""
    while read -r mode address; do
        case "$mode" in
            plain) plain=$address ;;
            starttls) tls=$address ;;
            implicit) implicit=$address ;;
        esac
    done <"$smtp/ready"
    # The ports are bound before the ready file is written; check that they answer.
    /usr/bin/python3 - "$plain" "$tls" "$implicit" <<'PY' || { cat "$smtp/server.log" >&2; return 1; }
import socket, sys
for address in sys.argv[1:]:
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except (OSError, ValueError) as error:
        sys.exit("services: SMTP port %r does not accept connections: %s" % (address, error))
PY
    export RESELLERDESK_TEST_SMTP_PLAIN="$plain"
    export RESELLERDESK_TEST_SMTP_TLS="$tls"
    export RESELLERDESK_TEST_SMTP_IMPLICIT="$implicit"
    export RESELLERDESK_TEST_SMTP_CA="$smtp/cert.pem"
    export RESELLERDESK_TEST_SMTP_USER="$user"
    export RESELLERDESK_TEST_SMTP_PASSWORD="$password"
    export RESELLERDESK_TEST_SMTP_SPOOL="$smtp/spool"
    echo "services: SMTP (aiosmtpd) plain $plain, STARTTLS $tls, implicit TLS $implicit"
}

# Starts a Secret Service for the keychain tests, private to this run: its
# own session D-Bus (without service activation, so no second, locked
# keyring daemon can be started behind our back) and gnome-keyring-daemon
# with a fresh, unlocked login keyring inside the services dir. Needs no
# display; works as root. Exports DBUS_SESSION_BUS_ADDRESS and
# RESELLERDESK_TEST_KEYRING=1.
start_keyring() {
    services_dir
    local tool
    for tool in dbus-daemon dbus-send gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null; then
            echo "services: $tool not found (packages dbus, gnome-keyring)" >&2
            return 1
        fi
    done
    local keyring="$RD_SERVICES_DIR/keyring"
    mkdir -p "$keyring/runtime" "$keyring/data"
    chmod 700 "$keyring" "$keyring/runtime" "$keyring/data"
    cat >"$keyring/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$keyring/runtime/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
    local started address
    started=$(XDG_RUNTIME_DIR="$keyring/runtime" dbus-daemon \
        --config-file="$keyring/session.conf" --fork --print-address=1 --print-pid=1 \
        2>"$keyring/bus.log") || {
        cat "$keyring/bus.log" >&2
        return 1
    }
    # The address comes first, then the pid.
    address=$(printf '%s\n' "$started" | sed -n 1p)
    RD_BUS_PID=$(printf '%s\n' "$started" | sed -n 2p)
    if [ -z "$address" ] || [ -z "$RD_BUS_PID" ]; then
        echo "services: dbus-daemon did not report its address and pid: $started" >&2
        return 1
    fi
    export DBUS_SESSION_BUS_ADDRESS="$address"

    # --unlock reads the login keyring's password from stdin (a throw-away one)
    # and creates that keyring unlocked; XDG_DATA_HOME keeps it out of $HOME.
    local password
    password="rd-keyring-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    XDG_RUNTIME_DIR="$keyring/runtime" XDG_DATA_HOME="$keyring/data" \
        gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$keyring/daemon.log" 2>&1 <<<"$password" &
    RD_KEYRING_PID=$!

    # A test may use the keyring only once the daemon owns the name.
    local tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true'; do
        if ! kill -0 "$RD_KEYRING_PID" 2>/dev/null || [ $tries -ge 100 ]; then
            echo "services: gnome-keyring-daemon did not take org.freedesktop.secrets" >&2
            cat "$keyring/daemon.log" >&2
            return 1
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    export RESELLERDESK_TEST_KEYRING=1
    echo "services: Secret Service ($(gnome-keyring-daemon --version 2>/dev/null | head -n 1)) on a private D-Bus session"
}

stop_services() {
    if [ -n "$RD_KEYRING_PID" ]; then
        kill "$RD_KEYRING_PID" 2>/dev/null || true
        wait "$RD_KEYRING_PID" 2>/dev/null || true
        RD_KEYRING_PID=""
    fi
    if [ -n "$RD_BUS_PID" ]; then
        # dbus-daemon forked away from us: poll for its end instead of wait.
        kill "$RD_BUS_PID" 2>/dev/null || true
        local tries=0
        while kill -0 "$RD_BUS_PID" 2>/dev/null && [ $tries -lt 50 ]; do
            sleep 0.1
            tries=$((tries + 1))
        done
        if kill -0 "$RD_BUS_PID" 2>/dev/null; then
            kill -9 "$RD_BUS_PID" 2>/dev/null || true
        fi
        RD_BUS_PID=""
        unset DBUS_SESSION_BUS_ADDRESS RESELLERDESK_TEST_KEYRING
    fi
    if [ -n "$RD_SMTP_PID" ]; then
        kill "$RD_SMTP_PID" 2>/dev/null || true
        wait "$RD_SMTP_PID" 2>/dev/null || true
        RD_SMTP_PID=""
    fi
    if [ -n "$RD_PG_DATA" ] && [ -d "$RD_PG_DATA" ]; then
        as_pg "$RD_PG_BIN/pg_ctl" -D "$RD_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$RD_SERVICES_DIR" ]; then
        rm -rf "$RD_SERVICES_DIR"
    fi
}
