#!/usr/bin/env bash
# rabbitmq.sh - a private RabbitMQ node for tests and demos, as the current user, on 127.0.0.1 only.
#
#   installer/rabbitmq.sh start DIR   writes a config under DIR, starts epmd and a node with the
#                                     management API and STOMP over WebSocket on free ports, waits
#                                     until both answer, and prints one line:
#     RABBITMQ READY mgmt=http://127.0.0.1:P/api/ ws=ws://127.0.0.1:P/ws amqp=P stomp=P dist=P epmd=P pid=N
#                                     (also written to DIR/ports.env as shell assignments)
#   installer/rabbitmq.sh stop DIR    stops that node and the epmd this script started, nothing else
#                                     (RABBITMQ_FAST_STOP=1 kills at once: for throw-away data)
#
# Nothing listens beyond 127.0.0.1: AMQP (RABBITMQ_NODE_IP_ADDRESS), epmd (ERL_EPMD_ADDRESS and
# its -address), the distribution port (-kernel inet_dist_use_interface), plain STOMP (which
# web_stomp pulls in), the management API and web_stomp. The Debian package's own service (if a
# systemd machine started one on install) is neither used nor disturbed: its ports are the
# defaults, ours are picked free. Login guest/guest, which RabbitMQ allows from loopback only.
set -euo pipefail

SERVER=${RABBITMQ_SERVER_BIN:-/usr/lib/rabbitmq/bin/rabbitmq-server}

log() { echo "[rabbitmq.sh] $*" >&2; }
usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nobody listens on (random in 20000-59999, skipping RabbitMQ's and epmd's defaults).
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        case " $TAKEN " in *" $p "*) continue ;; esac
        case $p in 25672 | 35672 | 4369 | 5672 | 15672 | 15674 | 61613) continue ;; esac
        if ! port_busy "$p"; then
            TAKEN="$TAKEN $p"
            echo "$p"
            return
        fi
    done
    log "no free port found"
    exit 1
}

alive() { # pidfile command-fragment
    [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$(cat "$1")/cmdline" 2>/dev/null | grep -q "$2"
}

write_config() {
    mkdir -p "$DIR/home" "$DIR/mnesia" "$DIR/log"
    cat >"$DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
stomp.listeners.tcp.1 = 127.0.0.1:$STOMP_PORT
web_stomp.tcp.ip = 127.0.0.1
web_stomp.tcp.port = $WS_PORT
collect_statistics_interval = 500
log.console = false
log.file.level = warning
EOF
    echo '[rabbitmq_management,rabbitmq_web_stomp].' >"$DIR/enabled_plugins"
    cat >"$DIR/ports.env" <<EOF
AMQP_PORT=$AMQP_PORT
MGMT_PORT=$MGMT_PORT
WS_PORT=$WS_PORT
STOMP_PORT=$STOMP_PORT
DIST_PORT=$DIST_PORT
EPMD_PORT=$EPMD_PORT
NODENAME=$NODENAME
EOF
}

node_env() {
    export HOME="$DIR/home" # this node's own .erlang.cookie
    export RABBITMQ_NODENAME="$NODENAME"
    export RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins"
    export RABBITMQ_MNESIA_BASE="$DIR/mnesia"
    export RABBITMQ_LOG_BASE="$DIR/log"
    export RABBITMQ_PID_FILE="$DIR/rabbit.pid"
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$AMQP_PORT"
    export RABBITMQ_DIST_PORT="$DIST_PORT"
    export ERL_EPMD_ADDRESS=127.0.0.1
    export ERL_EPMD_PORT="$EPMD_PORT"
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

answers() { # url: any HTTP answer at all
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -u guest:guest "$1" 2>/dev/null || true)
    [ -n "$code" ] && [ "$code" != 000 ]
}

start() {
    [ -x "$SERVER" ] || { log "$SERVER not found: install rabbitmq-server (installer/deps.sh)"; exit 3; }
    command -v epmd >/dev/null || { log "epmd not found (erlang-base)"; exit 3; }
    command -v curl >/dev/null || { log "curl not found"; exit 3; }
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    if alive "$DIR/rabbit.pid" beam; then log "a node already runs from $DIR"; exit 1; fi
    local attempt
    # A port found free can be taken by someone else before the node binds it: try fresh ones.
    for attempt in 1 2 3; do
        if start_once; then return; fi
        grep -q eaddrinuse "$DIR/log/server.out" 2>/dev/null || exit 1
        log "a port was taken meanwhile (attempt $attempt); trying other ports"
        rm -rf "$DIR/mnesia" "$DIR/log"
    done
    exit 1
}

start_once() {
    TAKEN=""
    AMQP_PORT=$(free_port); MGMT_PORT=$(free_port); WS_PORT=$(free_port)
    STOMP_PORT=$(free_port); DIST_PORT=$(free_port); EPMD_PORT=$(free_port)
    NODENAME="sightline-$$-$RANDOM@localhost"
    write_config
    node_env
    local t0=$SECONDS
    epmd -address 127.0.0.1 -port "$EPMD_PORT" >"$DIR/log/epmd.out" 2>&1 &
    echo $! >"$DIR/epmd.pid"
    for _ in $(seq 1 50); do port_busy "$EPMD_PORT" && break; sleep 0.1; done
    # the real script, not /usr/sbin/rabbitmq-server (which changes to the rabbitmq user and its
    # /var/lib/rabbitmq); setsid: the node outlives this script and no terminal signal reaches it
    setsid "$SERVER" >"$DIR/log/server.out" 2>&1 </dev/null &
    local wrapper=$!
    echo "$wrapper" >"$DIR/wrapper.pid"
    for _ in $(seq 1 900); do
        if answers "http://127.0.0.1:$MGMT_PORT/api/overview" && answers "http://127.0.0.1:$WS_PORT/ws"; then
            echo "RABBITMQ READY mgmt=http://127.0.0.1:$MGMT_PORT/api/ ws=ws://127.0.0.1:$WS_PORT/ws" \
                "amqp=$AMQP_PORT stomp=$STOMP_PORT dist=$DIST_PORT epmd=$EPMD_PORT" \
                "pid=$(cat "$DIR/rabbit.pid" 2>/dev/null || echo "?") seconds=$((SECONDS - t0))"
            return 0
        fi
        if ! kill -0 "$wrapper" 2>/dev/null; then
            log "rabbitmq-server exited:"; grep -v '^\s*$' "$DIR/log/server.out" | tail -8 >&2
            stop; return 1
        fi
        sleep 0.1
    done
    log "the node did not answer within 90 s; see $DIR/log"
    stop
    return 1
}

stop() {
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    local pid
    if alive "$DIR/rabbit.pid" beam; then
        pid=$(cat "$DIR/rabbit.pid")
        if [ "${RABBITMQ_FAST_STOP:-0}" = 1 ]; then kill -KILL "$pid"; else kill -TERM "$pid"; fi
        for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        log "node $pid stopped"
    fi
    rm -f "$DIR/rabbit.pid"
    if alive "$DIR/wrapper.pid" rabbitmq-server; then kill -KILL "$(cat "$DIR/wrapper.pid")"; fi
    rm -f "$DIR/wrapper.pid"
    if alive "$DIR/epmd.pid" epmd; then
        pid=$(cat "$DIR/epmd.pid")
        kill "$pid"
        log "epmd $pid stopped"
    fi
    rm -f "$DIR/epmd.pid"
}

[ $# -eq 2 ] || usage
DIR=$2
case "$1" in
start) start ;;
stop) stop ;;
*) usage ;;
esac
