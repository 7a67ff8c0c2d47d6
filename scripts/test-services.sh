#!/usr/bin/env bash
# Private services for the test suites: a throw-away PostgreSQL cluster, RabbitMQ node and sshd on 127.0.0.1, and a
# private systemd (real, PID 1 of its own namespaces) reached through an sshd of its own.
#
#   source scripts/test-services.sh start   # starts all four, exports STRATUS_TEST_POSTGRES, STRATUS_TEST_RABBITMQ,
#                                           # STRATUS_TEST_RABBITMQ_MANAGEMENT (the management HTTP API),
#                                           # STRATUS_TEST_SSHD=host:port:user:keyfile and
#                                           # STRATUS_TEST_SYSTEMD=host:port:root:keyfile,
#                                           # STRATUS_TEST_SYSTEMD_SUDO=host:port:stratus-ssh:keyfile (the same private
#                                           # systemd, logged into as a user who is not root and has passwordless sudo)
#                                           # (+ STRATUS_TEST_POSTGRES_DIR, STRATUS_TEST_RABBITMQ_DIR,
#                                           # STRATUS_TEST_SSHD_DIR, STRATUS_TEST_SYSTEMD_DIR)
#   source scripts/test-services.sh stop    # stops this shell's services (the *_DIR variables) and removes them
#   scripts/test-services.sh stop           # without those variables: stops every service this script started
#   eval "$(scripts/test-services.sh start)" # same as sourcing: prints the export lines on stdout
#   source scripts/test-services.sh start-sshd     # only the sshd (STRATUS_TEST_SSHD); stop as above
#   source scripts/test-services.sh start-systemd  # only the private systemd (STRATUS_TEST_SYSTEMD and
#                                                  # STRATUS_TEST_SYSTEMD_SUDO); stop as above
#   STRATUS_TEST_SERVICES="postgres rabbitmq" ...  # start a subset
#   scripts/test-services.sh close-connection NAME  # the RabbitMQ node closes the client connection named NAME
#   scripts/test-services.sh channel-count NAME     # prints how many channels the connections named NAME have open
#   scripts/test-services.sh restart-postgres [S]   # restarts this shell's PostgreSQL (fast shutdown, same port),
#                                                   # down for S more seconds when given (a long outage)
#   scripts/test-services.sh restart-rabbitmq       # stops and starts this shell's RabbitMQ application (clients lose
#                                                   # their connections; durable queues keep their messages)
#
# PostgreSQL comes from the Debian packages (/usr/lib/postgresql/<ver>/bin, installed with apt-get when missing).
# The cluster lives in a temp folder owned by the `postgres` user when run as root (the server refuses to run as
# root), listens only on 127.0.0.1 on a free port plus a unix socket inside that folder, and has one superuser
# `stratus` with a random password (scram-sha-256 over TCP). Durability is switched off: it is a test database.
# RabbitMQ: see _stratus_rmq_start. Exit status is non-zero, with the reason on stderr, when a service cannot start.

_stratus_log() { printf 'test-services: %s\n' "$*" >&2; }

# Each service remembers the folders it started in a state file of its own under TMPDIR (names kept from before they
# were shared: PostgreSQL's is the oldest, hence `.dirs`).
_stratus_state_file() {
    case "$1" in
        pg) printf '%s/stratus-test-services.dirs' "${TMPDIR:-/tmp}" ;;
        rmq) printf '%s/stratus-test-services.rabbitmq' "${TMPDIR:-/tmp}" ;;
        sshd) printf '%s/stratus-test-services.sshd' "${TMPDIR:-/tmp}" ;;
        systemd) printf '%s/stratus-test-services.systemd' "${TMPDIR:-/tmp}" ;;
    esac
}

# Makes a private folder TMPDIR/stratus-SERVICE.XXXXXX for a service, remembers it in the service's state file, prints it.
_stratus_new_dir() {
    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/stratus-$1.XXXXXX")" || { _stratus_log "cannot create a temp folder"; return 1; }
    printf '%s\n' "$dir" >>"$(_stratus_state_file "$1")"
    chmod 700 "$dir"
    # Which start made it, so a start that fails halfway removes its own folders and nobody else's.
    printf '%s\n' "${_STRATUS_START_ID:-}" >"$dir/start-id"
    printf '%s\n' "$dir"
}

# Stops and removes every folder the start with id $1 made (after it failed), leaving other starts' folders alone.
_stratus_undo_start() {
    local id="$1" service dir _STRATUS_UNDO_DIR
    [ -n "$id" ] || return 0
    for service in pg rmq sshd systemd; do
        [ -f "$(_stratus_state_file "$service")" ] || continue
        while read -r dir; do
            [ -f "$dir/start-id" ] && [ "$(cat "$dir/start-id")" = "$id" ] || continue
            _STRATUS_UNDO_DIR="$dir"
            case "$service" in
                pg) _stratus_stop_service pg _STRATUS_UNDO_DIR _stratus_pg_stop_one ;;
                rmq) _stratus_stop_service rmq _STRATUS_UNDO_DIR _stratus_rmq_stop_one ;;
                sshd) _stratus_stop_service sshd _STRATUS_UNDO_DIR _stratus_sshd_stop_one ;;
                systemd) _stratus_stop_service systemd _STRATUS_UNDO_DIR _stratus_systemd_stop_one ;;
            esac
        done < <(cat "$(_stratus_state_file "$service")")
    done
}

# Stops the folders of one service (pg, rmq, sshd or systemd): this shell's own when DIR_VAR names it, otherwise every folder
# the service's state file remembers (only folders under TMPDIR named after the service). STOP_ONE ends what runs in
# one folder; the folder is then removed, the state file updated (removed with the last folder or after a stop of
# all), and DIR_VAR and the other VARs unset.
#   _stratus_stop_service SERVICE DIR_VAR STOP_ONE [VAR...]
_stratus_stop_service() {
    local service="$1" dir_var="$2" stop_one="$3" state own dir
    shift 3
    state="$(_stratus_state_file "$service")"
    own="${!dir_var:-}"
    {
        if [ -n "$own" ]; then
            printf '%s\n' "$own"
        elif [ -f "$state" ]; then
            cat "$state"
        fi
    } | sort -u | while read -r dir; do
        case "$dir" in
            "${TMPDIR:-/tmp}/stratus-$service".*) ;;
            *) continue ;;
        esac
        "$stop_one" "$dir"
        rm -rf "$dir"
        _stratus_log "stopped and removed $dir"
    done
    if [ -f "$state" ]; then
        if [ -n "$own" ]; then
            grep -vxF "$own" "$state" >"$state.tmp" || true
            mv "$state.tmp" "$state"
        fi
        if [ ! -s "$state" ] || [ -z "$own" ]; then rm -f "$state"; fi
    fi
    unset "$dir_var" "$@"
}

# Installs Debian packages quietly (ARGS go to apt-get install), updating the package lists once if the first try fails.
_stratus_apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
    apt-get update -qq >/dev/null 2>&1 || { _stratus_log "apt-get update failed"; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
        || { _stratus_log "apt-get install ${*: -1} failed"; return 1; }
}

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
    _stratus_apt_install postgresql
}

# Prints a TCP port nobody listens on, from a random start in 20000 up to the kernel's ephemeral range (its first port
# from /proc/sys/net/ipv4/ip_local_port_range, Linux's default 32768). Below it, no outgoing connection or port-0
# listener is handed the port while a service restarts (a restart test once found RabbitMQ's management port taken).
_stratus_free_port() {
    local port tries=0 ephemeral span
    ephemeral="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)"
    case "$ephemeral" in ''|*[!0-9]*) ephemeral=32768 ;; esac
    span=$((ephemeral - 20000 - 200))
    [ "$span" -ge 1000 ] || span=40000
    port=$((20000 + RANDOM % span))
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

    dir="$(_stratus_new_dir pg)" || return 1
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi

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
    # Kept for a restart after a long outage (pg_ctl start, unlike restart, does not reuse the last options).
    printf '%s\n' "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >"$dir/server.opts"
    if ! _stratus_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "$(cat "$dir/server.opts")" start >/dev/null 2>&1; then
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

_stratus_pg_stop_one() {
    local bindir
    bindir="$(_stratus_pg_bindir)" || return 0
    if [ -f "$1/data/postmaster.pid" ]; then
        _stratus_as_owner "$bindir/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || _stratus_log "pg_ctl stop failed for $1"
    fi
}

_stratus_pg_stop() {
    _stratus_stop_service pg STRATUS_TEST_POSTGRES_DIR _stratus_pg_stop_one STRATUS_TEST_POSTGRES
}

# RabbitMQ: a private node of Debian's `rabbitmq-server`, run as the calling user straight from /usr/lib/rabbitmq/bin
# (not the packaged service), with its data, logs, config, Erlang cookie and epmd private to a temp folder, AMQP on
# 127.0.0.1 on a free port, one plugin (rabbitmq_management, shipped in the Debian package: its HTTP API on another
# free loopback port, for per-agent broker users), and one vhost `stratus-test` with one administrator `stratus`
# (random password).

_stratus_rmq_bindir() {
    local dir=/usr/lib/rabbitmq/bin
    if [ -x "$dir/rabbitmq-server" ] && [ -x "$dir/rabbitmqctl" ] && command -v epmd >/dev/null 2>&1; then
        printf '%s\n' "$dir"
        return 0
    fi
    return 1
}

_stratus_rmq_install() {
    local policy=/usr/sbin/policy-rc.d created=0 rc=0
    if [ "$(id -u)" -ne 0 ]; then
        _stratus_log "RabbitMQ not found under /usr/lib/rabbitmq/bin and not root: install the 'rabbitmq-server' package"
        return 1
    fi
    _stratus_log "installing RabbitMQ from the Debian packages"
    # The package's own service must not start (it would hold the default ports): exit 101 forbids service starts.
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created=1
    fi
    _stratus_apt_install --no-install-recommends rabbitmq-server || rc=1
    if [ "$created" = 1 ]; then rm -f "$policy"; fi
    return "$rc"
}

# Runs a RabbitMQ tool against the node described by "$1/node.env".
_stratus_rmq_run() {
    local dir="$1"
    shift
    (
        # shellcheck source=/dev/null
        . "$dir/node.env"
        HOME="$dir/home" ERL_EPMD_PORT="$epmd_port" ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME="$node" \
            RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
            RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
            RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/rabbitmq.pid" \
            RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" \
            RABBITMQ_LOGS="$dir/log/node.log" \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none" \
            RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" "$@"
    )
}

# Starts the node in the background and returns at once; _stratus_rmq_await then waits for it (PostgreSQL starts
# in between, so the two boots overlap).
_stratus_rmq_launch() {
    local bindir dir amqp_port dist_port epmd_port http_port node password
    _STRATUS_RMQ_STARTED=$(date +%s%N)
    bindir="$(_stratus_rmq_bindir)" || { _stratus_rmq_install && bindir="$(_stratus_rmq_bindir)"; } \
        || { _stratus_log "no RabbitMQ (rabbitmq-server, rabbitmqctl, epmd) under /usr/lib/rabbitmq/bin"; return 1; }

    dir="$(_stratus_new_dir rmq)" || return 1
    mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"

    amqp_port="$(_stratus_free_port)" && dist_port="$(_stratus_free_port)" && epmd_port="$(_stratus_free_port)" \
        && http_port="$(_stratus_free_port)" || { _stratus_log "no free TCP port found"; return 1; }
    if [ "$amqp_port" = "$dist_port" ] || [ "$amqp_port" = "$epmd_port" ] || [ "$dist_port" = "$epmd_port" ]; then
        dist_port=$((dist_port + 1)); epmd_port=$((epmd_port + 2))
    fi
    case "$http_port" in "$amqp_port"|"$dist_port"|"$epmd_port") http_port=$((http_port + 3)) ;; esac
    node="stratus-test-$$@localhost"
    password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    printf 'node=%s\namqp_port=%s\ndist_port=%s\nepmd_port=%s\nhttp_port=%s\n' "$node" "$amqp_port" "$dist_port" \
        "$epmd_port" "$http_port" >"$dir/node.env"
    (
        umask 077
        head -c 64 /dev/urandom | base64 | tr -dc 'A-Z' | head -c 20 >"$dir/home/.erlang.cookie"
        : >"$dir/rabbitmq-env.conf"
        printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
        printf '[].\n' >"$dir/advanced.config"
        cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $http_port
loopback_users = none
default_vhost = stratus-test
default_user = stratus
default_pass = $password
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = warning
EOF
    )

    _stratus_rmq_run "$dir" setsid "$bindir/rabbitmq-server" >"$dir/log/server.out" 2>&1 </dev/null &
    printf 'server_pid=%s\npassword=%s\n' "$!" "$password" >>"$dir/node.env"
    _STRATUS_RMQ_LAUNCHED="$dir"
}

_stratus_rmq_await() {
    local dir="${_STRATUS_RMQ_LAUNCHED:-}" bindir amqp_port http_port node password tries
    unset _STRATUS_RMQ_LAUNCHED
    [ -n "$dir" ] || return 1
    bindir="$(_stratus_rmq_bindir)" || return 1
    amqp_port="$(sed -n 's/^amqp_port=//p' "$dir/node.env")"
    http_port="$(sed -n 's/^http_port=//p' "$dir/node.env")"
    node="$(sed -n 's/^node=//p' "$dir/node.env")"
    password="$(sed -n 's/^password=//p' "$dir/node.env")"

    # The listener opens at the end of boot; await_startup then confirms the node finished booting.
    tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$amqp_port") 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -ge 600 ] || ! kill -0 "$(sed -n 's/^server_pid=//p' "$dir/node.env")" 2>/dev/null; then
            _stratus_log "RabbitMQ did not open 127.0.0.1:$amqp_port; last lines of $dir/log:"
            tail -n 20 "$dir/log/server.out" "$dir/log/node.log" >&2 2>/dev/null
            return 1
        fi
        sleep 0.1
    done
    if ! _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" await_startup --timeout 60 >"$dir/log/ctl.out" 2>&1; then
        _stratus_log "RabbitMQ node $node did not finish booting; see $dir/log"
        tail -n 20 "$dir/log/ctl.out" >&2
        return 1
    fi

    # The management listener starts with its plugin, before await_startup returns; checked anyway.
    tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -ge 100 ]; then
            _stratus_log "RabbitMQ management API did not open 127.0.0.1:$http_port; see $dir/log"
            return 1
        fi
        sleep 0.1
    done

    STRATUS_TEST_RABBITMQ="amqp://stratus:$password@127.0.0.1:$amqp_port/stratus-test"
    STRATUS_TEST_RABBITMQ_MANAGEMENT="http://stratus:$password@127.0.0.1:$http_port"
    STRATUS_TEST_RABBITMQ_DIR="$dir"
    export STRATUS_TEST_RABBITMQ STRATUS_TEST_RABBITMQ_MANAGEMENT STRATUS_TEST_RABBITMQ_DIR
    _stratus_log "RabbitMQ ready in $((($(date +%s%N) - _STRATUS_RMQ_STARTED) / 1000000)) ms: amqp://stratus:***@127.0.0.1:$amqp_port/stratus-test, management http://127.0.0.1:$http_port (node $node, data: $dir)"
    unset _STRATUS_RMQ_STARTED
}

_stratus_rmq_start() {
    _stratus_rmq_launch && _stratus_rmq_await
}

# For tests of reconnection: the node closes the client connection named NAME (server-initiated, CONNECTION_FORCED).
_stratus_rmq_close_connection() {
    local name="${1:-}" dir="${STRATUS_TEST_RABBITMQ_DIR:-}" bindir node pids pid
    [ -n "$name" ] && [ -f "$dir/node.env" ] \
        || { _stratus_log "close-connection needs a connection name and STRATUS_TEST_RABBITMQ_DIR"; return 2; }
    bindir="$(_stratus_rmq_bindir)" || return 1
    node="$(sed -n 's/^node=//p' "$dir/node.env")"
    pids="$(_stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" list_connections pid client_properties \
        | grep -F "\"$name\"" | awk '{print $1}')"
    [ -n "$pids" ] || { _stratus_log "no connection named $name"; return 1; }
    for pid in $pids; do
        _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" close_connection "$pid" "closed by a test" >/dev/null \
            || return 1
    done
}

# For tests of channel use: prints how many channels the client connections named NAME have open (0 when none).
_stratus_rmq_channel_count() {
    local name="${1:-}" dir="${STRATUS_TEST_RABBITMQ_DIR:-}" bindir node
    [ -n "$name" ] && [ -f "$dir/node.env" ] \
        || { _stratus_log "channel-count needs a connection name and STRATUS_TEST_RABBITMQ_DIR"; return 2; }
    bindir="$(_stratus_rmq_bindir)" || return 1
    node="$(sed -n 's/^node=//p' "$dir/node.env")"
    _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" list_connections channels client_properties \
        | grep -F "\"$name\"" | awk '{ n += $1 } END { print n + 0 }'
}

# For tests of outages: restart the services named by STRATUS_TEST_POSTGRES_DIR / STRATUS_TEST_RABBITMQ_DIR.
_stratus_pg_restart() {
    local dir="${STRATUS_TEST_POSTGRES_DIR:-}" down="${1:-}" bindir
    [ -f "$dir/data/postmaster.pid" ] || { _stratus_log "restart-postgres needs STRATUS_TEST_POSTGRES_DIR of a running cluster"; return 2; }
    bindir="$(_stratus_pg_bindir)" || return 1
    if [ -z "$down" ]; then
        _stratus_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null 2>&1 \
            || { _stratus_log "pg_ctl restart failed; see $dir/postgres.log"; return 1; }
        return 0
    fi
    [[ "$down" =~ ^[0-9]+$ ]] || { _stratus_log "restart-postgres takes a whole number of seconds to stay down, not '$down'"; return 2; }
    _stratus_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
        || { _stratus_log "pg_ctl stop failed; see $dir/postgres.log"; return 1; }
    sleep "$down"
    _stratus_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -o "$(cat "$dir/server.opts")" start >/dev/null 2>&1 \
        || { _stratus_log "pg_ctl start failed; see $dir/postgres.log"; return 1; }
}

_stratus_rmq_restart() {
    local dir="${STRATUS_TEST_RABBITMQ_DIR:-}" bindir node
    [ -f "$dir/node.env" ] || { _stratus_log "restart-rabbitmq needs STRATUS_TEST_RABBITMQ_DIR of a running node"; return 2; }
    bindir="$(_stratus_rmq_bindir)" || return 1
    node="$(sed -n 's/^node=//p' "$dir/node.env")"
    _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" stop_app >/dev/null \
        && _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" start_app >/dev/null \
        && _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$node" await_startup --timeout 60 >/dev/null \
        || { _stratus_log "RabbitMQ node $node did not restart; see $dir/log"; return 1; }
}

_stratus_rmq_stop_one() {
    local dir="$1" bindir pid
    [ -f "$dir/node.env" ] || return 0
    if bindir="$(_stratus_rmq_bindir)"; then
        _stratus_rmq_run "$dir" "$bindir/rabbitmqctl" -q -n "$(sed -n 's/^node=//p' "$dir/node.env")" \
            shutdown --timeout 60 >/dev/null 2>&1 || true
    fi
    # The node's OS process (from its pid file) and the wrapper, if shutdown did not end them.
    for pid in $(cat "$dir/rabbitmq.pid" 2>/dev/null) $(sed -n 's/^server_pid=//p' "$dir/node.env"); do
        kill "$pid" 2>/dev/null || true
    done
    _stratus_rmq_run "$dir" epmd -kill >/dev/null 2>&1 || true
}

_stratus_rmq_stop() {
    _stratus_stop_service rmq STRATUS_TEST_RABBITMQ_DIR _stratus_rmq_stop_one STRATUS_TEST_RABBITMQ STRATUS_TEST_RABBITMQ_MANAGEMENT
}

# sshd: Debian's openssh-server run from /usr/sbin/sshd in the foreground (-D) with a private config, host key and
# authorized client key in a temp folder, listening only on 127.0.0.1 on a free port. Only root can run it (it must
# switch to the logged-in user); the login is the calling user with the generated key. For agents installed over SSH.

# The host key, the client key and its authorized_keys of an sshd in folder $1.
_stratus_sshd_keys() {
    ssh-keygen -q -t ed25519 -N '' -C stratus-test-host -f "$1/host_key" >/dev/null || { _stratus_log "ssh-keygen (host key) failed"; return 1; }
    ssh-keygen -q -t ed25519 -N '' -C stratus-test-client -f "$1/client_key" >/dev/null || { _stratus_log "ssh-keygen (client key) failed"; return 1; }
    cp "$1/client_key.pub" "$1/authorized_keys" && chmod 600 "$1/authorized_keys"
}

# Writes and checks $1/sshd_config: 127.0.0.1:$2, key login of user $3 only (and of user $4, when given, with the
# keys of its own ~/.ssh/authorized_keys: sshd reads that file as the user, who cannot read root's 0700 folder).
_stratus_sshd_config() {
    local dir="$1" port="$2" user="$3" second="${4:-}"
    {
        printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s\nPidFile %s\nAuthorizedKeysFile %s\n' \
            "$port" "$dir/host_key" "$dir/sshd.pid" "$dir/authorized_keys"
        printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n'
        printf 'StrictModes no\nAllowUsers %s\nSubsystem sftp internal-sftp\nLogLevel ERROR\n' "$user${second:+ $second}"
        # A Match block runs to the end of the file, so it comes last.
        if [ -n "$second" ]; then printf 'Match User %s\n    AuthorizedKeysFile .ssh/authorized_keys\n' "$second"; fi
    } >"$dir/sshd_config"
    if ! /usr/sbin/sshd -t -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1; then
        _stratus_log "sshd rejects its config:"
        cat "$dir/sshd.log" >&2
        return 1
    fi
}

# Prints the SSH banner of 127.0.0.1:$1 (empty when nothing answers within 5 s).
_stratus_ssh_banner() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && read -t 5 -r line <&3 && printf '%s' "$line") 2>/dev/null || true
}

# Succeeds once 127.0.0.1:$1 answers with an SSH banner while process $2 (the server that should own the port) lives;
# fails when $2 dies or nothing answers within $3 tenths of a second. A free port can be taken by another starter
# between the pick and the bind, so an answer alone does not prove the port is ours.
_stratus_await_ssh_banner() {
    local port="$1" pid="$2" tenths="$3" tries=0 banner=""
    while [ "$tries" -lt "$tenths" ] && kill -0 "$pid" 2>/dev/null; do
        banner="$(_stratus_ssh_banner "$port")"
        [ -n "$banner" ] && break
        tries=$((tries + 1))
        sleep 0.1
    done
    [[ "$banner" == SSH-* ]] && kill -0 "$pid" 2>/dev/null
}

_stratus_sshd_start() {
    local dir port user
    if [ "$(id -u)" -ne 0 ]; then
        _stratus_log "sshd needs root (it switches to the user who logs in); not starting it"
        return 1
    fi
    if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null 2>&1; then
        _stratus_log "installing openssh-server from the Debian packages"
        _stratus_apt_install --no-install-recommends openssh-server || return 1
    fi
    mkdir -p /run/sshd && chmod 755 /run/sshd

    dir="$(_stratus_new_dir sshd)" || return 1
    _stratus_sshd_keys "$dir" || return 1
    user="$(id -un)"
    # A free port can be taken by another starter between the pick and the bind: up to three ports are tried, and the
    # port counts as ours only when it answers with an SSH banner while our sshd is alive.
    local attempt
    for attempt in 1 2 3; do
        port="$(_stratus_free_port)" || { _stratus_log "no free TCP port found"; return 1; }
        _stratus_sshd_config "$dir" "$port" "$user" || return 1
        setsid /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null >/dev/null 2>&1 &
        printf '%s\n' "$!" >"$dir/server.pid"
        if _stratus_await_ssh_banner "$port" "$(cat "$dir/server.pid")" 100; then
            break
        fi
        kill "$(cat "$dir/server.pid")" 2>/dev/null || true
        if [ "$attempt" = 3 ]; then
            _stratus_log "sshd did not open 127.0.0.1:$port; see $dir/sshd.log:"
            tail -n 20 "$dir/sshd.log" >&2
            return 1
        fi
        _stratus_log "sshd could not take 127.0.0.1:$port; trying another port"
    done
    STRATUS_TEST_SSHD="127.0.0.1:$port:$user:$dir/client_key"
    STRATUS_TEST_SSHD_DIR="$dir"
    export STRATUS_TEST_SSHD STRATUS_TEST_SSHD_DIR
    _stratus_log "sshd ready: $user@127.0.0.1:$port, key $dir/client_key"
}

_stratus_sshd_stop_one() {
    if [ -f "$1/server.pid" ]; then kill "$(cat "$1/server.pid")" 2>/dev/null || true; fi
}

_stratus_sshd_stop() {
    _stratus_stop_service sshd STRATUS_TEST_SSHD_DIR _stratus_sshd_stop_one STRATUS_TEST_SSHD
}

# systemd: Debian's systemd (/lib/systemd/systemd) as PID 1 of its own PID, mount, UTS and cgroup namespaces, with an
# sshd as its one service, for the remote agent installer's systemd path (STRATUS_TEST_SYSTEMD=host:port:root:keyfile).
# The login is root with a generated key, or (STRATUS_TEST_SYSTEMD_SUDO) the same key as `stratus-ssh`, a user who is
# not root and may run anything through `sudo -n` (the installer's path for such a user); that user exists only inside
# the namespace (see _stratus_systemd_sudo_user), so the machine's accounts are left as they are. Its sessions see the private manager (/run/systemd/system, systemctl) and
# share the machine's network and files, so an agent it installs reaches the test's manager and broker on loopback.
# Nothing of the machine's systemd configuration is loaded: SYSTEMD_UNIT_PATH names only the namespace's own
# /etc/systemd/system (a private folder bound over it, where the installer writes its unit) and this folder's units,
# and generators are off. That matters: the packaged units (sysinit.target's systemd-tmpfiles-setup, journald, sysctl,
# ...) would act on the shared file system and kernel (tmpfiles empties /tmp at boot).
# Stopped by killing the namespace's PID 1, which ends every process in it.

_stratus_systemd_bin() {
    local bin=/lib/systemd/systemd
    [ -x "$bin" ] || bin=/usr/lib/systemd/systemd
    [ -x "$bin" ] && command -v unshare >/dev/null 2>&1 && printf '%s\n' "$bin"
}

# The cgroup2 hierarchy's mount point (Debian hybrid: /sys/fs/cgroup/unified; unified: /sys/fs/cgroup).
_stratus_cgroup2_root() {
    awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts
}

_STRATUS_SYSTEMD_SUDO_USER=stratus-ssh

# Prints the first id from 20000 up that no line of the colon-separated file $1 has in its third field.
_stratus_free_id() {
    awk -F: -v id=20000 '{ used[$3] = 1 } END { while (id in used) id++; print id }' "$1"
}

# The account of the login who is not root, for the namespace only: copies of the machine's /etc/passwd, /etc/group,
# /etc/shadow and /etc/sudoers with that user added (home $1/home, the client key authorized; NOPASSWD: ALL), which
# init.sh binds over the originals inside its own mount namespace before systemd starts. The shadow entry is `*`
# (no password), not `!`: sshd without PAM refuses a key login to a locked (`!`) account.
_stratus_systemd_sudo_user() {
    local dir="$1" user="$_STRATUS_SYSTEMD_SUDO_USER" uid gid etc="$1/etc" home="$1/home" parent
    if ! command -v sudo >/dev/null 2>&1 || [ ! -f /etc/sudoers ]; then
        _stratus_log "installing sudo from the Debian packages"
        _stratus_apt_install --no-install-recommends sudo || return 1
    fi
    # The user must reach its home: every folder above it must let others through (the service's own folder is
    # opened to 0711 below; its files stay 0600).
    parent="$(dirname "$dir")"
    while [ "$parent" != / ]; do
        if [ "$(( $(stat -c '%a' "$parent") % 10 & 1 ))" = 0 ]; then
            _stratus_log "$parent does not let other users through (o+x), so $user cannot reach its home under $dir; choose another TMPDIR"
            return 1
        fi
        parent="$(dirname "$parent")"
    done
    uid="$(_stratus_free_id /etc/passwd)" && gid="$(_stratus_free_id /etc/group)" || return 1
    mkdir -p "$etc" "$home/.ssh" || return 1
    cp -p /etc/passwd /etc/group /etc/shadow /etc/sudoers "$etc/" || { _stratus_log "cannot copy the account files into $etc"; return 1; }
    printf '%s:x:%s:%s:Stratus test login with sudo:%s:/bin/sh\n' "$user" "$uid" "$gid" "$home" >>"$etc/passwd"
    printf '%s:x:%s:\n' "$user" "$gid" >>"$etc/group"
    printf '%s:*:%s:0:99999:7:::\n' "$user" "$(( $(date +%s) / 86400 ))" >>"$etc/shadow"
    printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$user" >>"$etc/sudoers"
    if ! visudo -c -q -f "$etc/sudoers" >/dev/null 2>&1; then
        _stratus_log "visudo rejects the private sudoers $etc/sudoers"
        return 1
    fi
    cp "$dir/client_key.pub" "$home/.ssh/authorized_keys" && chmod 700 "$home/.ssh" && chmod 600 "$home/.ssh/authorized_keys" \
        && chown -R "$uid:$gid" "$home" && chmod 700 "$home" && chmod 711 "$dir" \
        || { _stratus_log "cannot prepare the home $home of $user"; return 1; }
}

# Writes the units of the private manager into $1/units: the default target wanting the sshd, and empty stand-ins
# for the targets and slice that ordinary services' default dependencies and an [Install] section name.
_stratus_systemd_units() {
    local dir="$1" units="$1/units" target
    mkdir -p "$units" "$dir/etc-systemd-system" "$dir/no-generators" || return 1
    for target in sysinit basic shutdown multi-user network network-online; do
        printf '[Unit]\nDescription=Stratus test stand-in for %s.target\nDefaultDependencies=no\n' "$target" >"$units/$target.target"
    done
    printf '[Unit]\nDescription=Stratus test system slice\nDefaultDependencies=no\n' >"$units/system.slice"
    printf '[Unit]\nDescription=Stratus test services\nDefaultDependencies=no\nWants=stratus-test-sshd.service\n' \
        >"$units/stratus-test.target"
    cat >"$units/stratus-test-sshd.service" <<UNIT
[Unit]
Description=Stratus test sshd
DefaultDependencies=no

[Service]
ExecStart=/usr/sbin/sshd -D -f $dir/sshd_config -E $dir/sshd.log
UNIT
    # PID 1 of the namespaces: its own cgroup2 view, /run and /etc/systemd/system, a /dev/console that is a log file,
    # and the account files that add the sudo login (bound before systemd starts, so it resolves that user too).
    cat >"$dir/init.sh" <<INIT
#!/bin/sh
set -e
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/sshd
mount --bind $dir/etc-systemd-system /etc/systemd/system
mount --bind $dir/console.log /dev/console
for f in passwd group shadow sudoers; do mount --bind $dir/etc/\$f /etc/\$f; done
export SYSTEMD_UNIT_PATH=/etc/systemd/system:$units SYSTEMD_GENERATOR_PATH=$dir/no-generators \\
    SYSTEMD_ENVIRONMENT_GENERATOR_PATH=$dir/no-generators container=stratus-test
exec $(_stratus_systemd_bin) --system --unit=stratus-test.target --log-target=console --log-level=notice
INIT
    chmod 700 "$dir/init.sh"
    : >"$dir/console.log"
}

_stratus_systemd_start() {
    local dir port cgroot cgroup
    if [ "$(id -u)" -ne 0 ]; then
        _stratus_log "a private systemd needs root (namespaces, mounts, cgroups); not starting it"
        return 1
    fi
    if [ -z "$(_stratus_systemd_bin)" ]; then
        _stratus_log "installing systemd from the Debian packages"
        _stratus_apt_install --no-install-recommends systemd || return 1
        [ -n "$(_stratus_systemd_bin)" ] || { _stratus_log "no /lib/systemd/systemd or unshare after installing systemd"; return 1; }
    fi
    if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null 2>&1; then
        _stratus_log "installing openssh-server from the Debian packages"
        _stratus_apt_install --no-install-recommends openssh-server || return 1
    fi
    cgroot="$(_stratus_cgroup2_root)"
    [ -n "$cgroot" ] || { _stratus_log "no cgroup2 hierarchy mounted (systemd needs one)"; return 1; }

    dir="$(_stratus_new_dir systemd)" || return 1
    _stratus_sshd_keys "$dir" || return 1
    port="$(_stratus_free_port)" || { _stratus_log "no free TCP port found"; return 1; }
    _stratus_sshd_config "$dir" "$port" root "$_STRATUS_SYSTEMD_SUDO_USER" || return 1
    _stratus_systemd_sudo_user "$dir" || return 1
    _stratus_systemd_units "$dir" || { _stratus_log "cannot write the units into $dir"; return 1; }
    cgroup="$cgroot/$(basename "$dir")"
    mkdir "$cgroup" || { _stratus_log "cannot create cgroup $cgroup"; return 1; }
    printf 'cgroup=%s\n' "$cgroup" >"$dir/node.env"

    # The subshell moves itself into the cgroup, which the cgroup namespace then makes the manager's root.
    (
        echo "$BASHPID" >"$cgroup/cgroup.procs" \
            && exec setsid unshare --pid --fork --kill-child --mount --uts --cgroup --propagation private --mount-proc "$dir/init.sh"
    ) >"$dir/unshare.log" 2>&1 </dev/null &
    printf 'unshare_pid=%s\n' "$!" >>"$dir/node.env"
    # Not this shell's job: its kill at stop must not print a "Killed" job report after the test summary.
    disown "$!" 2>/dev/null || true

    # The port counts as ours only when it answers with an SSH banner while the namespace lives.
    if ! _stratus_await_ssh_banner "$port" "$(sed -n 's/^unshare_pid=//p' "$dir/node.env")" 300; then
        _stratus_log "the private systemd's sshd did not open 127.0.0.1:$port; last lines of $dir/{unshare,console,sshd}.log:"
        tail -n 20 "$dir/unshare.log" "$dir/console.log" "$dir/sshd.log" >&2 2>/dev/null
        return 1
    fi
    STRATUS_TEST_SYSTEMD="127.0.0.1:$port:root:$dir/client_key"
    STRATUS_TEST_SYSTEMD_SUDO="127.0.0.1:$port:$_STRATUS_SYSTEMD_SUDO_USER:$dir/client_key"
    STRATUS_TEST_SYSTEMD_DIR="$dir"
    export STRATUS_TEST_SYSTEMD STRATUS_TEST_SYSTEMD_SUDO STRATUS_TEST_SYSTEMD_DIR
    _stratus_log "private systemd ready: sshd root@ and $_STRATUS_SYSTEMD_SUDO_USER@127.0.0.1:$port (sudo), key $dir/client_key (units: $dir/etc-systemd-system)"
}

_stratus_systemd_stop_one() {
    local dir="$1" pid cgroup
    [ -f "$dir/node.env" ] || return 0
    pid="$(sed -n 's/^unshare_pid=//p' "$dir/node.env")"
    cgroup="$(sed -n 's/^cgroup=//p' "$dir/node.env")"
    # unshare --kill-child: its death takes the namespace's PID 1, and with it every process of the namespace.
    if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    if [ -n "$cgroup" ] && [ -d "$cgroup" ]; then
        local tries=0 left
        # Whatever is left in the cgroup tree (the namespace's processes take a moment to be reaped).
        while left="$(find "$cgroup" -name cgroup.procs -exec cat {} + 2>/dev/null)" && [ -n "$left" ] && [ "$tries" -lt 50 ]; do
            for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
            tries=$((tries + 1))
            sleep 0.1
        done
        find "$cgroup" -depth -type d -exec rmdir {} \; 2>/dev/null || _stratus_log "cgroup $cgroup could not be removed"
    fi
}

_stratus_systemd_stop() {
    _stratus_stop_service systemd STRATUS_TEST_SYSTEMD_DIR _stratus_systemd_stop_one STRATUS_TEST_SYSTEMD STRATUS_TEST_SYSTEMD_SUDO
}

_stratus_services() {
    case "${1:-}" in
        # All are attempted; the status is non-zero when any could not start.
        # STRATUS_TEST_SERVICES picks a subset (e.g. "postgres rabbitmq"); all four by default.
        start)
            local rc=0 launched=0 wanted=" ${STRATUS_TEST_SERVICES:-postgres rabbitmq sshd systemd} "
            _STRATUS_START_ID="$$-$(date +%s%N)-$RANDOM"
            if [[ "$wanted" == *" rabbitmq "* ]]; then _stratus_rmq_launch && launched=1; fi
            if [[ "$wanted" == *" postgres "* ]]; then _stratus_pg_start || rc=1; fi
            if [[ "$wanted" == *" sshd "* ]]; then _stratus_sshd_start || rc=1; fi
            if [[ "$wanted" == *" systemd "* ]]; then _stratus_systemd_start || rc=1; fi
            if [[ "$wanted" == *" rabbitmq "* ]] && { [ "$launched" = 0 ] || ! _stratus_rmq_await; }; then rc=1; fi
            return "$rc"
            ;;
        stop)
            # A shell that names any folder of its own stops only the services it names (never everybody's of a
            # service it did not start); a shell that names none stops every service this script started. Decided
            # before the stops, which unset their folder variables.
            local pg=1 rmq=1 sshd=1 systemd=1
            if [ -n "${STRATUS_TEST_POSTGRES_DIR:-}" ] || [ -n "${STRATUS_TEST_RABBITMQ_DIR:-}" ] || [ -n "${STRATUS_TEST_SSHD_DIR:-}" ] \
                || [ -n "${STRATUS_TEST_SYSTEMD_DIR:-}" ]; then
                [ -n "${STRATUS_TEST_POSTGRES_DIR:-}" ] || pg=0
                [ -n "${STRATUS_TEST_RABBITMQ_DIR:-}" ] || rmq=0
                [ -n "${STRATUS_TEST_SSHD_DIR:-}" ] || sshd=0
                [ -n "${STRATUS_TEST_SYSTEMD_DIR:-}" ] || systemd=0
            fi
            if [ "$pg" = 1 ]; then _stratus_pg_stop; fi
            if [ "$rmq" = 1 ]; then _stratus_rmq_stop; fi
            if [ "$sshd" = 1 ]; then _stratus_sshd_stop; fi
            if [ "$systemd" = 1 ]; then _stratus_systemd_stop; fi
            ;;
        start-sshd) _stratus_sshd_start ;;
        start-systemd) _STRATUS_START_ID="$$-$(date +%s%N)-$RANDOM" && _stratus_systemd_start ;;
        close-connection) _stratus_rmq_close_connection "${2:-}" ;;
        channel-count) _stratus_rmq_channel_count "${2:-}" ;;
        restart-postgres) _stratus_pg_restart "${2:-}" ;;
        restart-rabbitmq) _stratus_rmq_restart ;;
        *) _stratus_log "usage: source scripts/test-services.sh start | scripts/test-services.sh stop"; return 2 ;;
    esac
}

if (return 0 2>/dev/null); then
    _stratus_services "$@"
else
    if ! _stratus_services "$@"; then
        rc=$?
        if [ "${1:-}" = "start" ]; then
            # Run as a program, a failed start prints no settings, so its caller could stop nothing: what it did
            # start is stopped here. (Sourced, the shell keeps what started, as scripts/test.sh does off CI.)
            _stratus_log "a service did not start; stopping the ones this start made"
            _stratus_undo_start "${_STRATUS_START_ID:-}"
        fi
        exit "$rc"
    fi
    if [ "${1:-}" = "start" ]; then
        printf 'export STRATUS_TEST_POSTGRES=%q\nexport STRATUS_TEST_POSTGRES_DIR=%q\n' "$STRATUS_TEST_POSTGRES" "$STRATUS_TEST_POSTGRES_DIR"
        printf 'export STRATUS_TEST_RABBITMQ=%q\nexport STRATUS_TEST_RABBITMQ_MANAGEMENT=%q\nexport STRATUS_TEST_RABBITMQ_DIR=%q\n' \
            "$STRATUS_TEST_RABBITMQ" "$STRATUS_TEST_RABBITMQ_MANAGEMENT" "$STRATUS_TEST_RABBITMQ_DIR"
        printf 'export STRATUS_TEST_SSHD=%q\nexport STRATUS_TEST_SSHD_DIR=%q\n' "$STRATUS_TEST_SSHD" "$STRATUS_TEST_SSHD_DIR"
        printf 'export STRATUS_TEST_SYSTEMD=%q\nexport STRATUS_TEST_SYSTEMD_SUDO=%q\nexport STRATUS_TEST_SYSTEMD_DIR=%q\n' \
            "${STRATUS_TEST_SYSTEMD:-}" "${STRATUS_TEST_SYSTEMD_SUDO:-}" "${STRATUS_TEST_SYSTEMD_DIR:-}"
    fi
fi
