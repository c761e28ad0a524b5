/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.switchboard.gateway.metrics;

import com.google.inject.Inject;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.switchboard.gateway.admission.AdmissionController;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.gateway.proxy.LatencyHistogram;
import io.switchboard.gateway.proxy.ProxyMetrics;
import io.switchboard.gateway.routing.QueryRoutes;
import io.switchboard.gateway.rules.CompiledRule;
import io.switchboard.gateway.rules.RoutingRules;
import io.switchboard.store.health.HealthState;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * Everything {@code GET /metrics} shows, read from the counters the features keep anyway when
 * Prometheus scrapes: nothing here runs on the request path. The names are documented in
 * docs/operations.md; the exposition format is the Prometheus client's.
 */
public class GatewayMetrics
        implements MultiCollector
{
    private final ProxyMetrics proxy;
    private final ClusterRegistry clusters;
    private final ClusterHealthMonitor health;
    private final QueryRoutes routes;
    private final AdmissionController admission;
    private final RoutingRules rules;

    @Inject
    public GatewayMetrics(ProxyMetrics proxy, ClusterRegistry clusters, ClusterHealthMonitor health, QueryRoutes routes, AdmissionController admission, RoutingRules rules)
    {
        this.proxy = requireNonNull(proxy, "proxy is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.health = requireNonNull(health, "health is null");
        this.routes = requireNonNull(routes, "routes is null");
        this.admission = requireNonNull(admission, "admission is null");
        this.rules = requireNonNull(rules, "rules is null");
    }

    @Override
    public MetricSnapshots collect()
    {
        List<Cluster> configured = clusters.all();
        proxy.retainClusters(configured.stream().map(Cluster::name).collect(toImmutableSet()));
        MetricSnapshots.Builder metrics = MetricSnapshots.builder();
        proxyMetrics(metrics);
        clusterMetrics(metrics, configured);
        routeWriterMetrics(metrics);
        admissionMetrics(metrics);
        ruleMetrics(metrics);
        return metrics.build();
    }

    private void proxyMetrics(MetricSnapshots.Builder metrics)
    {
        metrics.metricSnapshot(counter("switchboard_requests", "Trino protocol requests received, by type", "type", proxy.requestsByType()));
        metrics.metricSnapshot(counter("switchboard_errors", "Errors the gateway answered itself, by kind (the SWITCHBOARD_ error names in lower case)", "kind", proxy.errorsByKind()));

        CounterSnapshot.Builder submits = CounterSnapshot.builder().name("switchboard_cluster_submits").help("New queries a cluster answered, by cluster and routing group");
        CounterSnapshot.Builder bytes = CounterSnapshot.builder().name("switchboard_forwarded_bytes").help("Bytes forwarded, to the cluster (request bodies) and to the client (response bodies as the cluster sent them)");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("switchboard_cluster_response_seconds").unit(Unit.SECONDS)
                .help("Time from the gateway beginning to read a request to the cluster beginning to answer it, by cluster, routing group and request type (submit or follow_up)");
        for (ProxyMetrics.ClusterStats stats : proxy.clusters()) {
            Labels labels = Labels.of("cluster", stats.cluster(), "group", stats.group());
            submits.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(stats.submits()).build());
            bytes.dataPoint(CounterDataPointSnapshot.builder().labels(labels.add("direction", "to_cluster")).value(stats.bytesToCluster()).build());
            bytes.dataPoint(CounterDataPointSnapshot.builder().labels(labels.add("direction", "to_client")).value(stats.bytesToClient()).build());
            latency.dataPoint(histogram(labels.add("type", "submit"), stats.submitLatency()));
            latency.dataPoint(histogram(labels.add("type", "follow_up"), stats.followUpLatency()));
        }
        metrics.metricSnapshot(submits.build());
        metrics.metricSnapshot(bytes.build());
        metrics.metricSnapshot(latency.build());
    }

    private static HistogramDataPointSnapshot histogram(Labels labels, LatencyHistogram.Snapshot snapshot)
    {
        return HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(LatencyHistogram.UPPER_BOUNDS_SECONDS, snapshot.counts()))
                .sum(snapshot.sumSeconds())
                .build();
    }

    private void clusterMetrics(MetricSnapshots.Builder metrics, List<Cluster> configured)
    {
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("switchboard_cluster_health")
                .help("1 for the cluster's current health state (pending, healthy, unhealthy, misconfigured), 0 for the others");
        GaugeSnapshot.Builder accepting = GaugeSnapshot.builder().name("switchboard_cluster_accepting")
                .help("1 when the gateway may place new queries on the cluster: active, not draining, and healthy or not probed yet");
        for (Cluster cluster : configured) {
            Labels labels = Labels.of("cluster", cluster.name(), "group", cluster.routingGroup());
            HealthState current = health.health(cluster.name()).state();
            for (HealthState candidate : HealthState.values()) {
                state.dataPoint(gauge(labels.add("state", candidate.name().toLowerCase(ENGLISH)), candidate == current ? 1 : 0));
            }
            accepting.dataPoint(gauge(labels, cluster.acceptsNewQueries() && health.isRoutable(cluster.name()) ? 1 : 0));
        }
        metrics.metricSnapshot(state.build());
        metrics.metricSnapshot(accepting.build());
        metrics.metricSnapshot(GaugeSnapshot.builder().name("switchboard_mysql_reachable")
                .help("1 when the gateway's last read of the clusters from MySQL succeeded; 0 while it routes from memory")
                .dataPoint(gauge(Labels.EMPTY, clusters.isMysqlReachable() ? 1 : 0))
                .build());
    }

    private void routeWriterMetrics(MetricSnapshots.Builder metrics)
    {
        metrics.metricSnapshot(GaugeSnapshot.builder().name("switchboard_route_writer_pending").help("Query routes waiting to be written to MySQL")
                .dataPoint(gauge(Labels.EMPTY, routes.pendingCount())).build());
        metrics.metricSnapshot(GaugeSnapshot.builder().name("switchboard_route_writer_lag_seconds").unit(Unit.SECONDS).help("Age of the oldest query route not yet written to MySQL (0 when all are written)")
                .dataPoint(gauge(Labels.EMPTY, routes.lag().toNanos() / 1e9)).build());
        metrics.metricSnapshot(counter("switchboard_route_writer_routes", "Query routes written to MySQL, and dropped because MySQL was behind (their queries still run)",
                "outcome", Map.of("written", routes.writtenCount(), "dropped", routes.droppedCount())));
    }

    private void admissionMetrics(MetricSnapshots.Builder metrics)
    {
        AdmissionController.Snapshot snapshot = admission.snapshot();
        AdmissionController.Counters counters = snapshot.counters();
        metrics.metricSnapshot(counter("switchboard_admission_queries", "New queries under admission control, by outcome (a query queued and then admitted counts in both)", "outcome", Map.of(
                "admitted", counters.admitted(),
                "queued", counters.queued(),
                "rejected", counters.rejected(),
                "timed_out", counters.timedOut(),
                "cancelled", counters.cancelled(),
                "expired", counters.expired())));
        Map<String, Long> queued = new TreeMap<>();
        snapshot.queued().forEach(query -> queued.merge(query.group(), 1L, Long::sum));
        metrics.metricSnapshot(gauges("switchboard_admission_queued", "Queries waiting in the gateway's admission queue, by routing group", "group", queued));
        metrics.metricSnapshot(gauges("switchboard_admission_running", "Queries admitted by this gateway and still running, by routing group", "group", snapshot.runningByGroup()));
    }

    private void ruleMetrics(MetricSnapshots.Builder metrics)
    {
        List<CompiledRule> loaded = rules.loaded().rules().rules();
        metrics.metricSnapshot(counter("switchboard_rule_matches", "Routing rule matches on this gateway since the rule was loaded, by rule", "rule", byRule(loaded, rule -> rule.counters().matches().get())));
        metrics.metricSnapshot(counter("switchboard_rule_errors", "Routing rule evaluation errors on this gateway since the rule was loaded, by rule", "rule", byRule(loaded, rule -> rule.counters().errors().get())));
    }

    private static Map<String, Long> byRule(List<CompiledRule> rules, Function<CompiledRule, Long> value)
    {
        Map<String, Long> values = new TreeMap<>();
        rules.forEach(rule -> values.put(rule.name(), value.apply(rule)));
        return values;
    }

    private static CounterSnapshot counter(String name, String help, String label, Map<String, ? extends Number> values)
    {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        values.forEach((key, value) -> counter.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(label, key)).value(value.doubleValue()).build()));
        return counter.build();
    }

    private static GaugeSnapshot gauges(String name, String help, String label, Map<String, ? extends Number> values)
    {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((key, value) -> gauge.dataPoint(gauge(Labels.of(label, key), value.doubleValue())));
        return gauge.build();
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, double value)
    {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
