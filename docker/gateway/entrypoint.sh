#!/bin/bash
# Runs the gateway as the container's main process. Configuration: a mounted
# /opt/switchboard/etc/config.properties (SWITCHBOARD_CONFIG), or else one written from:
#   SWITCHBOARD_DATABASE_URL (required), SWITCHBOARD_DATABASE_USER, SWITCHBOARD_DATABASE_PASSWORD
#   (read by the gateway from the environment, never written to a file), SWITCHBOARD_HTTP_PORT,
#   SWITCHBOARD_DEFAULT_GROUP, SWITCHBOARD_EXTRA_PROPERTIES (more lines for config.properties).
# SWITCHBOARD_CLUSTERS="name=http://host:8080,..." registers these clusters in the default group
# once the gateway is up (from inside the container: admin writes are accepted from loopback).
# JAVA_OPTS are added after the gateway's JVM settings (bin/lib/java.sh).
set -euo pipefail

# shellcheck source=../../bin/lib/java.sh
source /opt/switchboard/bin/lib/java.sh

port=${SWITCHBOARD_HTTP_PORT:-8080}
group=${SWITCHBOARD_DEFAULT_GROUP:-adhoc}
config=${SWITCHBOARD_CONFIG:-/opt/switchboard/etc/config.properties}
if [ ! -f "$config" ]; then
    if [ -z "${SWITCHBOARD_DATABASE_URL:-}" ]; then
        echo "error: set SWITCHBOARD_DATABASE_URL (jdbc:mysql://host:3306/database) or mount $config" >&2
        exit 1
    fi
    config=/opt/switchboard/var/config.properties
    export SWITCHBOARD_DATABASE_PASSWORD=${SWITCHBOARD_DATABASE_PASSWORD:-}
    cat >"$config" <<PROPERTIES
http-server.http.port=$port
database.url=$SWITCHBOARD_DATABASE_URL
database.user=${SWITCHBOARD_DATABASE_USER:-root}
database.password=\${ENV:SWITCHBOARD_DATABASE_PASSWORD}
routing.default-group=$group
${SWITCHBOARD_EXTRA_PROPERTIES:-}
PROPERTIES
fi

register_clusters() {
    local api="http://127.0.0.1:$port/api/v1/clusters" entry name url status
    until curl -fsS -o /dev/null "$api" 2>/dev/null; do
        sleep 1
    done
    IFS=',' read -ra entries <<<"$SWITCHBOARD_CLUSTERS"
    for entry in "${entries[@]}"; do
        name=${entry%%=*}
        url=${entry#*=}
        status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$api" -H 'Content-Type: application/json' \
            -d "{\"name\": \"$name\", \"proxyUrl\": \"$url\", \"routingGroup\": \"$group\"}")
        echo "registered cluster $name ($url) in routing group $group: HTTP $status"
    done
}
if [ -n "${SWITCHBOARD_CLUSTERS:-}" ]; then
    register_clusters &
fi

# shellcheck disable=SC2086
exec java "${SWITCHBOARD_GATEWAY_JVM_OPTS[@]}" ${JAVA_OPTS:-} \
    -Dconfig="$config" \
    -cp '/opt/switchboard/lib/*' \
    io.switchboard.gateway.GatewayServer
