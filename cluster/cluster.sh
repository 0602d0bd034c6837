#!/usr/bin/env bash
# Start/stop an N-node OpenSearch 2.19.6 cluster on 127.0.0.1 from Maven Central jars (see pom.xml).
#   cluster/cluster.sh start N BASE_PORT  -> http ports BASE..BASE+N-1, transport BASE+100..BASE+100+N-1
#   cluster/cluster.sh stop BASE_PORT     -> stops the nodes started with that BASE_PORT
# Env: OS_JAVA_OPTS (replaces the default heap/GC flags), OS_EXTRA_OPTS (appended),
#      OS_WAIT_SECS (default 180), OS_KEEP_DATA=1 to reuse the node data in run/BASE.
# Cluster name dateline-test-BASE, nodes node-0.., logs in cluster/run/BASE/node-i.log.
# tests/util/cluster.rs starts nodes the same way: keep its JVM options in step with these.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CP="$HERE/target/os-node-0.1.jar:$HERE/target/lib/*"
# Serial GC and C1 only roughly halve the start time and cut RSS: right for tests, not for throughput.
JAVA_OPTS="${OS_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxDirectMemorySize=128m} ${OS_EXTRA_OPTS:-}"
# what the 2.x distribution (SystemJvmOptions) also sets; 2.x uses SPI,COMPAT locales (CLDR only from 3.0)
JAVA_OPTS="$JAVA_OPTS -Dfile.encoding=UTF-8 -Djava.awt.headless=true -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0 -Djava.locale.providers=SPI,COMPAT -Dlog4j2.formatMsgNoLookups=true"

# Build when never built or when pom.xml/src changed since; the flock keeps a test run that
# builds at the same time (it takes the same lock) from building twice.
build() {
  mkdir -p "$HERE/target"
  (
    flock 9
    if [ ! -f "$HERE/target/build.stamp" ] || [ -n "$(find "$HERE/pom.xml" "$HERE/src" -newer "$HERE/target/build.stamp" -print -quit)" ]; then
      echo "building the launcher (fetches the jars the first time) ..." >&2
      mvn -q -B -f "$HERE/pom.xml" package >&2
      touch "$HERE/target/build.stamp"
    fi
  ) 9>"$HERE/target/build.lock"
}

cmd="${1:-}"; shift || true
case "$cmd" in
start)
  [ $# = 2 ] || { echo "usage: $0 start N BASE_PORT" >&2; exit 2; }
  N="$1"; BASE="$2"; RUN="$HERE/run/$BASE"
  build
  [ -f "$RUN/pids" ] && { echo "cluster on $BASE already running? ($RUN/pids); stop it first" >&2; exit 1; }
  [ "${OS_KEEP_DATA:-0}" = 1 ] || rm -rf "$RUN"
  mkdir -p "$RUN"
  tports=""; names=""
  for ((i=0;i<N;i++)); do tports+="${tports:+,}$((BASE+100+i))"; names+="${names:+,}node-$i"; done
  for ((i=0;i<N;i++)); do
    mkdir -p "$RUN/node-$i"
    # per-node start script, so one killed node can be restarted by hand: nohup run/BASE/node-i.sh &
    printf '#!/bin/sh\nexec java %s -cp "%s" dateline.OsNode %s %s %s %s %s %s %s >> %s 2>&1\n' \
      "$JAVA_OPTS" "$CP" "dateline-test-$BASE" "node-$i" "$RUN/node-$i" $((BASE+i)) $((BASE+100+i)) \
      "$tports" "$names" "$RUN/node-$i.log" > "$RUN/node-$i.sh"
    chmod +x "$RUN/node-$i.sh"
    nohup "$RUN/node-$i.sh" >/dev/null 2>&1 &
    echo "$! $((BASE+i))" >> "$RUN/pids"
  done
  deadline=$((SECONDS + ${OS_WAIT_SECS:-180}))
  until curl -sf "http://127.0.0.1:$BASE/_cluster/health?wait_for_nodes=$N&wait_for_status=yellow&timeout=5s" >/dev/null 2>&1; do
    while read -r pid port; do kill -0 "$pid" 2>/dev/null || { echo "node pid $pid (http $port) died; see $RUN" >&2; "$0" stop "$BASE"; exit 1; }; done < "$RUN/pids"
    [ $SECONDS -lt $deadline ] || { echo "timeout waiting for cluster; see $RUN" >&2; "$0" stop "$BASE"; exit 1; }
    sleep 0.5
  done
  curl -s "http://127.0.0.1:$BASE/_cluster/health" >&2; echo >&2
  while read -r pid port; do echo "http=$port pid=$pid"; done < "$RUN/pids"
  ;;
stop)
  [ $# = 1 ] || { echo "usage: $0 stop BASE_PORT" >&2; exit 2; }
  BASE="$1"; RUN="$HERE/run/$BASE"
  [ -f "$RUN/pids" ] || { echo "nothing to stop for $BASE" >&2; exit 0; }
  pids=$(cut -d' ' -f1 "$RUN/pids")
  # SIGTERM closes a node gracefully (~1.5 s); kill -9 whatever is left after 10 s
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 40); do alive=0; for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done; [ $alive = 0 ] && break; sleep 0.25; done
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  rm -f "$RUN/pids"
  ;;
*) echo "usage: $0 start N BASE_PORT | stop BASE_PORT" >&2; exit 2 ;;
esac
