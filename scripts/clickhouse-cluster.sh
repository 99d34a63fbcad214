#!/usr/bin/env bash
# A real ClickHouse cluster on loopback for the remote-engine tests and notebooks/warehouse.md:
# two shards, each its own clickhouse-server process (Debian's package, 18.16 in Debian 12/13),
# a `remote_servers` cluster `segbook` over both, and a `Distributed` table `orders` filled from
# the committed demo shop (notebooks/data/shop), sharded by customer.
#
#   scripts/clickhouse-cluster.sh start    # idempotent: reuses a running cluster
#   scripts/clickhouse-cluster.sh stop
#   scripts/clickhouse-cluster.sh status   # exit 0 when both shards answer and the data is loaded
#
# Fixed loopback ports (test/helpers/clickhouse.ts exports the same facts):
#   shard 1: HTTP 127.0.0.1:18123  TCP 19000  interserver 19009
#   shard 2: HTTP 127.0.0.1:18124  TCP 19001  interserver 19010
# Users (same on both shards):
#   default         no password, loopback only: setup (DDL, loading) only
#   analyst         password "segbook-analyst", readonly=2, CORS header on, quota: what a notebook uses
#   analyst_nocors  same password, readonly=1, CORS header off: a server that forgot CORS
# Data lives in $SEGBOOK_CLICKHOUSE_DIR (default /tmp/segbook-clickhouse), never in the repository.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${SEGBOOK_CLICKHOUSE_DIR:-/tmp/segbook-clickhouse}"
SERVER="${CLICKHOUSE_SERVER:-/usr/sbin/clickhouse-server}"
CLIENT="${CLICKHOUSE_CLIENT:-/usr/bin/clickhouse-client}"
HTTP_PORTS=(18123 18124)
TCP_PORTS=(19000 19001)
INTER_PORTS=(19009 19010)
PASSWORD="segbook-analyst"

ch() { # ch SHARD_INDEX SQL [client args...]: runs SQL as default on that shard
  local i="$1" sql="$2"
  shift 2
  "$CLIENT" --host 127.0.0.1 --port "${TCP_PORTS[$i]}" --user default --query "$sql" "$@"
}

# GET /ping on the HTTP port with bash alone (a clean CI image may have no curl).
alive() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/${HTTP_PORTS[$1]}" || exit 1
    printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    timeout 2 cat <&3 | grep -q '^Ok'
  ) 2>/dev/null
}

write_config() {
  local i="$1" d="$DIR/shard$((i + 1))"
  mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/log"
  cat >"$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/server.err.log</errorlog><size>10M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>${HTTP_PORTS[$i]}</http_port>
    <tcp_port>${TCP_PORTS[$i]}</tcp_port>
    <interserver_http_port>${INTER_PORTS[$i]}</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <max_connections>256</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>50</max_concurrent_queries>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <mark_cache_size>67108864</mark_cache_size>
    <path>$d/data/</path>
    <tmp_path>$d/tmp/</tmp_path>
    <user_files_path>$d/user_files/</user_files_path>
    <users_config>$DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <remote_servers>
        <segbook>
            <shard><replica><host>127.0.0.1</host><port>${TCP_PORTS[0]}</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>${TCP_PORTS[1]}</port></replica></shard>
        </segbook>
    </remote_servers>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
    <format_schema_path>$d/format_schemas/</format_schema_path>
</yandex>
XML
}

write_users() {
  mkdir -p "$DIR"
  cat >"$DIR/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing></default>
        <!-- What IT gives a notebook's user: read-only (2 = may still set per-query settings such as
             max_result_rows), CORS so a static page can call the HTTP interface, bounded work. -->
        <analyst>
            <readonly>2</readonly>
            <add_http_cors_header>1</add_http_cors_header>
            <max_memory_usage>1000000000</max_memory_usage>
            <max_execution_time>120</max_execution_time>
        </analyst>
        <analyst_nocors>
            <readonly>1</readonly>
            <max_memory_usage>1000000000</max_memory_usage>
        </analyst_nocors>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <analyst>
            <password>$PASSWORD</password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>analyst</profile>
            <quota>analyst</quota>
        </analyst>
        <analyst_nocors>
            <password>$PASSWORD</password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>analyst_nocors</profile>
            <quota>analyst</quota>
        </analyst_nocors>
    </users>
    <quotas>
        <default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default>
        <analyst><interval><duration>3600</duration><queries>100000</queries><errors>0</errors><result_rows>0</result_rows><read_rows>100000000000</read_rows><execution_time>36000</execution_time></interval></analyst>
    </quotas>
</yandex>
XML
}

load_data() {
  local shop="$ROOT/notebooks/data/shop"
  for i in 0 1; do
    ch "$i" "CREATE TABLE IF NOT EXISTS orders_local (order_id UInt32, customer_id UInt32, order_date Date, channel String, category String, quantity UInt16, unit_price Float64, discount Float64, amount Float64, returned UInt8) ENGINE = MergeTree ORDER BY (customer_id, order_id)"
    ch "$i" "CREATE TABLE IF NOT EXISTS orders AS orders_local ENGINE = Distributed(segbook, default, orders_local, customer_id)"
    ch "$i" "TRUNCATE TABLE orders_local"
  done
  # Each shard gets its own customers (customer_id % 2), loaded straight into the local tables so the
  # data is in place when start returns (inserts through a Distributed table are asynchronous).
  # "returned" is true/false in the CSV; 18.16's CSV parser wants 0/1 for UInt8.
  for i in 0 1; do
    tail -n +2 "$shop/orders.csv" |
      awk -F, -v s="$i" 'BEGIN{OFS=","} $2 % 2 == s { $10 = ($10 == "true") ? 1 : 0; print }' |
      ch "$i" "INSERT INTO orders_local FORMAT CSV"
  done
}

start() {
  [ -x "$SERVER" ] || {
    echo "clickhouse-server not found at $SERVER: apt-get install -y clickhouse-server (Debian's package)" >&2
    exit 1
  }
  write_users
  for i in 0 1; do
    if alive "$i"; then continue; fi
    write_config "$i"
    local d="$DIR/shard$((i + 1))"
    # --pid-file lets stop end exactly this process; as root 18.16 runs as root (data dir is ours).
    "$SERVER" --config-file="$d/config.xml" --pid-file="$d/server.pid" --daemon
  done
  for i in 0 1; do
    for _ in $(seq 1 150); do alive "$i" && break; sleep 0.2; done
    alive "$i" || {
      echo "ClickHouse shard $((i + 1)) did not start; see $DIR/shard$((i + 1))/log/server.err.log" >&2
      tail -n 20 "$DIR/shard$((i + 1))/log/server.err.log" >&2 || true
      exit 1
    }
  done
  if ! loaded; then load_data; fi
  status
}

loaded() {
  local n
  n="$(ch 0 "SELECT count() FROM orders" 2>/dev/null || echo 0)"
  [ "$n" = "$(($(wc -l <"$ROOT/notebooks/data/shop/orders.csv") - 1))" ]
}

stop() {
  for i in 0 1; do
    local pidfile="$DIR/shard$((i + 1))/server.pid"
    if [ -f "$pidfile" ]; then
      local pid
      pid="$(cat "$pidfile")"
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
      rm -f "$pidfile"
    fi
  done
  echo "ClickHouse cluster stopped"
}

status() {
  local ok=0
  for i in 0 1; do
    if alive "$i"; then
      echo "shard $((i + 1)): up, HTTP http://127.0.0.1:${HTTP_PORTS[$i]}, orders_local rows: $(ch "$i" "SELECT count() FROM orders_local" 2>/dev/null || echo '?')"
    else
      echo "shard $((i + 1)): down (HTTP port ${HTTP_PORTS[$i]})"
      ok=1
    fi
  done
  [ "$ok" = 0 ] && loaded && echo "cluster segbook: Distributed table orders ready" && return 0
  return 1
}

# One start/stop at a time (test files and other checkouts on this machine share the fixed ports).
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
