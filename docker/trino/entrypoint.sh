#!/bin/bash
# Writes the coordinator's configuration into /etc/trino from the environment, each file only if
# it is not there (mount your own to replace one), then runs Trino in the foreground.
#   SWITCHBOARD_CLUSTER_NAME       the cluster's name in the gateway (required)
#   SWITCHBOARD_MYSQL_URL          jdbc:mysql://host:3306/database (required)
#   SWITCHBOARD_MYSQL_USER         default root
#   SWITCHBOARD_MYSQL_PASSWORD     read by the plugins from the environment, never written to a file
#   SWITCHBOARD_GATEWAY_URL        named in the error queries submitted directly during a drain get
#   SWITCHBOARD_EXIT_WHEN_DRAINED  default true: the coordinator exits once drained, for the
#                                  container's restart policy to start it again
#   SWITCHBOARD_ROUTER_PROPERTIES  more lines for switchboard-router.properties (docs/router-plugin.md)
#   TRINO_HEAP                     -Xmx, default 1G
#   TRINO_ENVIRONMENT              node.environment, default switchboard
set -euo pipefail

: "${SWITCHBOARD_CLUSTER_NAME:?set SWITCHBOARD_CLUSTER_NAME to the cluster name the gateway knows}"
: "${SWITCHBOARD_MYSQL_URL:?set SWITCHBOARD_MYSQL_URL to jdbc:mysql://host:3306/database}"
export SWITCHBOARD_MYSQL_PASSWORD=${SWITCHBOARD_MYSQL_PASSWORD:-}

etc=/etc/trino
data=/data/trino
write() {
    local file="$etc/$1"
    if [ ! -e "$file" ]; then
        mkdir -p "$(dirname "$file")"
        cat >"$file"
    fi
}

write config.properties <<PROPERTIES
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=8080
discovery.uri=http://localhost:8080
# the gateway sends X-Forwarded-* headers
http-server.process-forwarded=true
access-control.config-files=$etc/switchboard-router.properties
# the plugins' counters on Trino's /metrics
openmetrics.jmx-object-names=io.switchboard.plugin.events:*|io.switchboard.plugin.router:*
query.max-memory=${TRINO_QUERY_MAX_MEMORY:-512MB}
query.max-memory-per-node=${TRINO_QUERY_MAX_MEMORY:-512MB}
PROPERTIES

write node.properties <<PROPERTIES
node.environment=${TRINO_ENVIRONMENT:-switchboard}
node.id=$SWITCHBOARD_CLUSTER_NAME
PROPERTIES

write jvm.config <<PROPERTIES
-server
-Xmx${TRINO_HEAP:-1G}
-XX:+UseG1GC
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-XX:+EnableDynamicAgentLoading
-Djdk.attach.allowAttachSelf=true
-Dfile.encoding=UTF-8
--enable-native-access=ALL-UNNAMED
PROPERTIES

write log.properties <<<"io.trino=INFO"
write catalog/tpch.properties <<<"connector.name=tpch"
write catalog/memory.properties <<<"connector.name=memory"

plugin_properties="switchboard.cluster-name=$SWITCHBOARD_CLUSTER_NAME
switchboard.mysql.url=$SWITCHBOARD_MYSQL_URL
switchboard.mysql.user=${SWITCHBOARD_MYSQL_USER:-root}
switchboard.mysql.password=\${ENV:SWITCHBOARD_MYSQL_PASSWORD}"

write event-listener.properties <<PROPERTIES
event-listener.name=switchboard-events
$plugin_properties
switchboard.spool.directory=$data/switchboard-events-spool
PROPERTIES

write switchboard-router.properties <<PROPERTIES
access-control.name=switchboard-router
$plugin_properties
switchboard.exit-when-drained=${SWITCHBOARD_EXIT_WHEN_DRAINED:-true}
${SWITCHBOARD_GATEWAY_URL:+switchboard.gateway-url=$SWITCHBOARD_GATEWAY_URL}
${SWITCHBOARD_ROUTER_PROPERTIES:-}
PROPERTIES

exec /usr/lib/trino/bin/launcher run --etc-dir="$etc" --data-dir="$data"
