#!/usr/bin/env bash
# Private services for the test suites: a throw-away PostgreSQL cluster on 127.0.0.1 (RabbitMQ later).
#
#   source scripts/test-services.sh start   # starts it, exports STRATUS_TEST_POSTGRES (+ STRATUS_TEST_POSTGRES_DIR)
#   source scripts/test-services.sh stop    # stops this shell's cluster (STRATUS_TEST_POSTGRES_DIR) and removes it
#   scripts/test-services.sh stop           # without that variable: stops every cluster this script started
#   eval "$(scripts/test-services.sh start)" # same as sourcing: prints the export lines on stdout
#
# PostgreSQL comes from the Debian packages (/usr/lib/postgresql/<ver>/bin, installed with apt-get when missing).
# The cluster lives in a temp folder owned by the `postgres` user when run as root (the server refuses to run as
# root), listens only on 127.0.0.1 on a free port plus a unix socket inside that folder, and has one superuser
# `stratus` with a random password (scram-sha-256 over TCP). Durability is switched off: it is a test database.
# Exit status is non-zero, with the reason on stderr, when the cluster cannot be started.

_stratus_log() { printf 'test-services: %s\n' "$*" >&2; }

_stratus_state_file() { printf '%s/stratus-test-services.dirs' "${TMPDIR:-/tmp}"; }

_stratus_pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/pg_isready" ]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done
    return 1
}

_stratus_pg_install() {
    if [ "$(id -u)" -ne 0 ]; then
        _stratus_log "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin and not root: install the 'postgresql' package"
        return 1
    fi
    _stratus_log "installing PostgreSQL from the Debian packages"
    if ! apt-get install -y -qq postgresql >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 || { _stratus_log "apt-get update failed"; return 1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
            || { _stratus_log "apt-get install postgresql failed"; return 1; }
    fi
}

# Prints a TCP port nobody listens on, from a random start in 20000-59999.
_stratus_free_port() {
    local port tries=0
    port=$((20000 + RANDOM % 40000))
    while [ "$tries" -lt 200 ]; do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
        port=$((port + 1))
        tries=$((tries + 1))
    done
    return 1
}

# Runs a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
_stratus_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_stratus_pg_start() {
    local bindir dir port password tries
    bindir="$(_stratus_pg_bindir)" || { _stratus_pg_install && bindir="$(_stratus_pg_bindir)"; } \
        || { _stratus_log "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin"; return 1; }
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        _stratus_log "running as root but there is no 'postgres' user to own the cluster"
        return 1
    fi

    dir="$(mktemp -d "${TMPDIR:-/tmp}/stratus-pg.XXXXXX")" || { _stratus_log "cannot create a temp folder"; return 1; }
    printf '%s\n' "$dir" >>"$(_stratus_state_file)"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"

    password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    (umask 077 && printf '%s\n' "$password" >"$dir/pwfile")
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/pwfile"; fi

    if ! _stratus_as_owner "$bindir/initdb" -D "$dir/data" -U stratus --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
        _stratus_log "initdb failed; see $dir/initdb.log:"
        tail -n 20 "$dir/initdb.log" >&2
        return 1
    fi
    rm -f "$dir/pwfile"

    port="$(_stratus_free_port)" || { _stratus_log "no free TCP port found"; return 1; }
    if ! _stratus_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1; then
        _stratus_log "PostgreSQL did not start; last lines of $dir/postgres.log:"
        tail -n 20 "$dir/postgres.log" >&2
        return 1
    fi

    tries=0
    until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ]; then
            _stratus_log "PostgreSQL on 127.0.0.1:$port is not ready after 30 s; see $dir/postgres.log"
            return 1
        fi
        sleep 0.5
    done

    STRATUS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=stratus;Password=$password;Database=postgres"
    STRATUS_TEST_POSTGRES_DIR="$dir"
    export STRATUS_TEST_POSTGRES STRATUS_TEST_POSTGRES_DIR
    _stratus_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') ready: Host=127.0.0.1;Port=$port;Username=stratus;Password=***;Database=postgres (data: $dir)"
}

_stratus_pg_stop() {
    local state dir bindir
    state="$(_stratus_state_file)"
    bindir="$(_stratus_pg_bindir)" || bindir=""
    # The cluster of this shell when it is known, otherwise every cluster the state file remembers.
    {
        if [ -n "${STRATUS_TEST_POSTGRES_DIR:-}" ]; then
            printf '%s\n' "$STRATUS_TEST_POSTGRES_DIR"
        elif [ -f "$state" ]; then
            cat "$state"
        fi
    } | sort -u | while read -r dir; do
        case "$dir" in
            "${TMPDIR:-/tmp}"/stratus-pg.*) ;;
            *) continue ;;
        esac
        if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
            _stratus_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
                || _stratus_log "pg_ctl stop failed for $dir"
        fi
        rm -rf "$dir"
        _stratus_log "stopped and removed $dir"
    done
    if [ -f "$state" ]; then
        if [ -n "${STRATUS_TEST_POSTGRES_DIR:-}" ]; then
            grep -vxF "$STRATUS_TEST_POSTGRES_DIR" "$state" >"$state.tmp" || true
            mv "$state.tmp" "$state"
        fi
        if [ ! -s "$state" ] || [ -z "${STRATUS_TEST_POSTGRES_DIR:-}" ]; then rm -f "$state"; fi
    fi
    unset STRATUS_TEST_POSTGRES STRATUS_TEST_POSTGRES_DIR
}

# RabbitMQ hook point: a later issue adds _stratus_rabbitmq_start/_stop here (private vhost and user on a free
# port, exporting STRATUS_TEST_RABBITMQ) and calls them from _stratus_services below.

_stratus_services() {
    case "${1:-}" in
        start) _stratus_pg_start ;;
        stop) _stratus_pg_stop ;;
        *) _stratus_log "usage: source scripts/test-services.sh start | scripts/test-services.sh stop"; return 2 ;;
    esac
}

if (return 0 2>/dev/null); then
    _stratus_services "$@"
else
    _stratus_services "$@" || exit $?
    if [ "${1:-}" = "start" ]; then
        printf 'export STRATUS_TEST_POSTGRES=%q\nexport STRATUS_TEST_POSTGRES_DIR=%q\n' "$STRATUS_TEST_POSTGRES" "$STRATUS_TEST_POSTGRES_DIR"
    fi
fi
