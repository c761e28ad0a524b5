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
package io.switchboard.gateway.admission;

import com.google.common.base.Ticker;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.airlift.units.Duration;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.cluster.ReportedQueryCounts;
import io.switchboard.gateway.routing.ClusterSelector;
import io.switchboard.gateway.routing.RoutingConfig;
import io.switchboard.store.cluster.ClusterKind;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static java.util.stream.Collectors.joining;

/**
 * Admission control: counts the queries this gateway admitted and has not seen end, per user,
 * routing group and cluster, adds for users and sources what the clusters' heartbeats count
 * elsewhere (other replicas' queries, direct submissions), and holds the new queries over a limit
 * in a queue per group, served by priority (from the routing rules), and round-robin between users
 * of the same priority. Every change happens under one lock, held for microseconds; the
 * polls waiting for a queued query are futures, completed outside the lock.
 */
public class AdmissionController
{
    private static final Logger log = Logger.get(AdmissionController.class);
    // a client polls a queued query about every second: one silent this long is gone
    static final long QUEUED_CLIENT_TIMEOUT_NANOS = SECONDS.toNanos(30);
    private static final String ABANDONED = "Query was not polled for %ss: its client is gone".formatted(NANOSECONDS.toSeconds(QUEUED_CLIENT_TIMEOUT_NANOS));
    // how long a finished queued query is remembered, for its client's last poll
    private static final long TOMBSTONE_NANOS = SECONDS.toNanos(60);
    // how long before a heartbeat a query this gateway sent may still be missing from it: the
    // submission's way to the coordinator, and the error of converting the database's clock
    static final long HEARTBEAT_OVERLAP_NANOS = SECONDS.toNanos(1);
    // the most ended queries remembered for the heartbeats that may still count them
    private static final int MAX_REMEMBERED_ENDS = 100_000;

    private final boolean enabled;
    private final OptionalInt maxRunningPerUser;
    private final Map<String, Integer> userMaxRunning;
    private final Map<String, Integer> sourceMaxRunning;
    private final OptionalInt maxRunningPerGroup;
    private final Map<String, Integer> groupMaxRunning;
    private final Map<String, Integer> classMaxRunning;
    private final OptionalInt clusterCapacity;
    private final Map<String, Integer> clusterCapacities;
    private final int maxQueuedPerGroup;
    private final long maxQueueWaitNanos;
    private final String maxQueueWait;
    private final long clientTimeoutNanos;
    private final Map<String, String> limits;
    private final ClusterChoice clusters;
    private final Supplier<List<ReportedQueryCounts>> reportedCounts;
    private final long heartbeatMaxAgeNanos;
    // a user or source limit is set: the clusters' heartbeats count too
    private final boolean fleetLimits;
    private final Ticker ticker;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("admission-sweeper"));

    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, Integer> runningByUser = new HashMap<>();
    private final Map<String, Integer> runningBySource = new HashMap<>();
    private final Map<String, Integer> runningByGroup = new HashMap<>();
    private final Map<String, Integer> runningByCluster = new HashMap<>();
    // limited classes only
    private final Map<ClassKey, Integer> runningByClass = new HashMap<>();
    private final Set<AdmissionSlot> slots = new HashSet<>();
    private final Map<String, GroupQueue> queues = new HashMap<>();
    // read without the lock: every request of an admitted query looks here
    private final Map<String, AdmissionSlot> byQueryId = new ConcurrentHashMap<>();
    private final Map<String, QueuedQuery> queuedById = new ConcurrentHashMap<>();
    // guarded by lock: the queries the clusters' latest heartbeats count that this gateway did
    // not send (other replicas' and those submitted directly), per user and per limited source
    private Map<String, Integer> elsewhereByUser = Map.of();
    private Map<String, Integer> elsewhereBySource = Map.of();
    // guarded by lock: what they were computed from, and until when those heartbeats are fresh
    private List<ReportedQueryCounts> countsUsed = List.of();
    private long countsFreshUntilNanos = Long.MIN_VALUE;
    // guarded by lock: queries this gateway saw end, oldest first, which a heartbeat may still count
    private final ArrayDeque<Ended> ended = new ArrayDeque<>();

    private record Ended(String cluster, AdmissionKey key, long admittedNanos, long endedNanos) {}

    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /**
     * What happens to a new query.
     */
    public sealed interface Admission
    {
        /**
         * Under every limit: forward it to the slot's cluster.
         */
        record Admitted(AdmissionSlot slot)
                implements Admission {}

        /**
         * Over a limit: held in the queue, its client polls the gateway.
         */
        record Queued(QueuedQuery query)
                implements Admission {}

        /**
         * Over a limit with the group's queue full.
         */
        record QueueFull(String message)
                implements Admission {}

        /**
         * The group has no cluster that accepts new queries.
         */
        record NoCluster()
                implements Admission {}
    }

    @Inject
    public AdmissionController(AdmissionConfig config, ClusterSelector selector, ClusterStatuses statuses, RoutingConfig routing)
    {
        this(config, new ClusterChoice()
        {
            @Override
            public Optional<Cluster> select(String group, ClusterKind protocol, Set<String> excluded)
            {
                return selector.select(group, protocol, excluded);
            }

            @Override
            public boolean hasClusters(String group)
            {
                return !selector.candidates(group).isEmpty();
            }
        }, statuses::queryCounts, routing.getLoadMaxAge(), Ticker.systemTicker());
    }

    AdmissionController(AdmissionConfig config, ClusterChoice clusters, Ticker ticker)
    {
        this(config, clusters, List::of, new Duration(10, SECONDS), ticker);
    }

    /**
     * @param reportedCounts the clusters' latest query counts per user and source, with the time
     * of each heartbeat on {@code ticker}'s clock
     * @param heartbeatMaxAge heartbeats older than this count for nothing (routing.load-max-age)
     */
    AdmissionController(AdmissionConfig config, ClusterChoice clusters, Supplier<List<ReportedQueryCounts>> reportedCounts, Duration heartbeatMaxAge, Ticker ticker)
    {
        this.enabled = config.isEnabled();
        this.maxRunningPerUser = config.getMaxRunningPerUser();
        this.userMaxRunning = config.getUserMaxRunning();
        this.sourceMaxRunning = config.getSourceMaxRunning();
        this.maxRunningPerGroup = config.getMaxRunningPerGroup();
        this.groupMaxRunning = config.getGroupMaxRunning();
        this.classMaxRunning = config.getClassMaxRunning();
        this.clusterCapacity = config.getClusterCapacity();
        this.clusterCapacities = config.getClusterCapacities();
        this.maxQueuedPerGroup = config.getMaxQueuedPerGroup();
        this.maxQueueWaitNanos = config.getMaxQueueWait().roundTo(NANOSECONDS);
        this.maxQueueWait = config.getMaxQueueWait().toString();
        this.clientTimeoutNanos = config.getClientTimeout().roundTo(NANOSECONDS);
        this.limits = limits(config);
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.reportedCounts = requireNonNull(reportedCounts, "reportedCounts is null");
        this.heartbeatMaxAgeNanos = heartbeatMaxAge.roundTo(NANOSECONDS);
        this.fleetLimits = maxRunningPerUser.isPresent() || !userMaxRunning.isEmpty() || !sourceMaxRunning.isEmpty();
        this.ticker = requireNonNull(ticker, "ticker is null");
    }

    /**
     * The limits in force, by their properties, as the operator wrote them: those not set are left out.
     */
    private static Map<String, String> limits(AdmissionConfig config)
    {
        Map<String, String> limits = new LinkedHashMap<>();
        config.getMaxRunningPerUser().ifPresent(limit -> limits.put("admission.max-running-per-user", String.valueOf(limit)));
        putPairs(limits, "admission.user-max-running", config.getUserMaxRunning());
        putPairs(limits, "admission.source-max-running", config.getSourceMaxRunning());
        config.getMaxRunningPerGroup().ifPresent(limit -> limits.put("admission.max-running-per-group", String.valueOf(limit)));
        putPairs(limits, "admission.group-max-running", config.getGroupMaxRunning());
        putPairs(limits, "admission.class-max-running", config.getClassMaxRunning());
        config.getClusterCapacity().ifPresent(limit -> limits.put("admission.cluster-capacity", String.valueOf(limit)));
        putPairs(limits, "admission.cluster-capacities", config.getClusterCapacities());
        limits.put("admission.max-queued-per-group", String.valueOf(config.getMaxQueuedPerGroup()));
        limits.put("admission.max-queue-wait", config.getMaxQueueWait().toString());
        return Collections.unmodifiableMap(limits);
    }

    private static void putPairs(Map<String, String> limits, String property, Map<String, Integer> pairs)
    {
        if (!pairs.isEmpty()) {
            limits.put(property, pairs.entrySet().stream()
                    .map(pair -> pair.getKey() + ":" + pair.getValue())
                    .collect(joining(",")));
        }
    }

    @PostConstruct
    public void start()
    {
        if (enabled) {
            sweeper.scheduleWithFixedDelay(this::sweepSafely, 1000, 500, MILLISECONDS);
        }
    }

    @PreDestroy
    public void stop()
    {
        sweeper.shutdownNow();
    }

    public boolean isEnabled()
    {
        return enabled;
    }

    /**
     * Admits a new query, or queues it. The statement is asked for only when the query is queued.
     */
    public Admission submit(AdmissionKey key, Supplier<Object> statement)
    {
        long now = ticker.read();
        synchronized (lock) {
            String group = key.group();
            Optional<String> blockedBy = limitReached(key);
            if (blockedBy.isEmpty()) {
                Set<String> full = fullClusters();
                Optional<Cluster> cluster = clusters.select(group, key.protocol(), full);
                if (cluster.isPresent()) {
                    admitted.incrementAndGet();
                    return new Admission.Admitted(acquire(key, cluster.get()));
                }
                if (full.isEmpty() || !clusters.hasClusters(group)) {
                    return new Admission.NoCluster();
                }
                blockedBy = Optional.of(capacityLimit(group));
            }
            GroupQueue queue = queues.computeIfAbsent(group, GroupQueue::new);
            if (queue.size() >= maxQueuedPerGroup) {
                rejected.incrementAndGet();
                return new Admission.QueueFull("Too many queued queries in routing group '%s': %s are waiting in the gateway (admission.max-queued-per-group), the query is held by %s"
                        .formatted(group, queue.size(), blockedBy.get()));
            }
            QueuedQuery query = new QueuedQuery(newId(), newSlug(), key, statement.get(), now, blockedBy.get());
            queue.add(query);
            queuedById.put(query.id(), query);
            queued.incrementAndGet();
            return new Admission.Queued(query);
        }
    }

    /**
     * The query's client polls it: the returned future completes when the query leaves the
     * queue (admitted, failed, cancelled), or at once if it already has.
     */
    public CompletableFuture<Void> poll(QueuedQuery query)
    {
        query.polled(ticker.read());
        return query.newWaiter();
    }

    public Optional<QueuedQuery> queued(String id)
    {
        return Optional.ofNullable(queuedById.get(id));
    }

    /**
     * Where a waiting query stands in its group's queue (1: next), 0 when it waits no more.
     */
    public int position(QueuedQuery query)
    {
        synchronized (lock) {
            GroupQueue queue = queues.get(query.key().group());
            return queue == null ? 0 : queue.position(query);
        }
    }

    /**
     * The client cancelled a queued query: it leaves the queue, or gives back the slot it was admitted to and not yet used.
     */
    public void cancel(QueuedQuery query)
    {
        CompletableFuture<Void> waiter;
        AdmissionSlot slot = null;
        synchronized (lock) {
            switch (query.state()) {
                case WAITING -> {
                    GroupQueue queue = queues.get(query.key().group());
                    if (queue != null) {
                        queue.remove(query);
                    }
                }
                case ADMITTED -> {
                    if (!query.claim()) {
                        // the statement is on its way to the cluster: the client cancels it there
                        return;
                    }
                    slot = query.slot().orElseThrow();
                }
                case CANCELLED, FAILED -> {
                    return;
                }
            }
            cancelled.incrementAndGet();
            waiter = query.cancelled(ticker.read());
        }
        if (slot != null) {
            release(slot);
        }
        complete(waiter);
    }

    public Optional<AdmissionSlot> running(String queryId)
    {
        return Optional.ofNullable(byQueryId.get(queryId));
    }

    /**
     * The cluster gave the admitted query its id: later requests of the query find its slot.
     */
    public void bind(AdmissionSlot slot, String queryId)
    {
        synchronized (lock) {
            if (!slot.released() && slot.queryId().isEmpty()) {
                slot.bind(queryId);
                byQueryId.put(queryId, slot);
            }
        }
    }

    /**
     * The submission was refused by the slot's cluster and goes to another one.
     */
    public void move(AdmissionSlot slot, Cluster cluster)
    {
        synchronized (lock) {
            if (slot.released()) {
                return;
            }
            decrement(runningByCluster, slot.cluster().name());
            slot.moveTo(cluster);
            runningByCluster.merge(cluster.name(), 1, Integer::sum);
        }
    }

    /**
     * The query ended (or never started): its slot goes to the next queued query. Releasing twice is harmless.
     */
    public void release(AdmissionSlot slot)
    {
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        synchronized (lock) {
            if (slot.released()) {
                return;
            }
            slot.markReleased();
            slots.remove(slot);
            decrement(runningByUser, slot.key().user());
            decrement(runningBySource, slot.key().source());
            decrement(runningByGroup, slot.key().group());
            decrement(runningByCluster, slot.cluster().name());
            slot.key().admissionClass().ifPresent(admissionClass -> decrement(runningByClass, new ClassKey(slot.key().group(), admissionClass)));
            slot.queryId().ifPresent(byQueryId::remove);
            if (fleetLimits && !countsUsed.isEmpty()) {
                // a heartbeat written before this moment and not yet read may still count the query
                if (ended.size() >= MAX_REMEMBERED_ENDS) {
                    ended.removeFirst();
                }
                ended.addLast(new Ended(slot.cluster().name(), slot.key(), slot.admittedNanos(), ticker.read()));
            }
            dispatch(wake);
        }
        wake.forEach(AdmissionController::complete);
    }

    public record Counters(long admitted, long queued, long rejected, long timedOut, long cancelled, long expired) {}

    public Counters counters()
    {
        return new Counters(admitted.get(), queued.get(), rejected.get(), timedOut.get(), cancelled.get(), expired.get());
    }

    public record QueuedView(String id, String group, String user, int priority, Optional<String> admissionClass, int position, long waitingMillis, String blockedBy) {}

    public record Snapshot(
            boolean enabled,
            Map<String, String> limits,
            Map<String, Integer> runningByGroup,
            Map<String, Integer> runningByUser,
            Map<String, Integer> runningBySource,
            Map<String, Integer> runningByCluster,
            Map<String, Map<String, Integer>> runningByClass,
            Map<String, Integer> elsewhereByUser,
            Map<String, Integer> elsewhereBySource,
            List<QueuedView> queued,
            Counters counters) {}

    public Snapshot snapshot()
    {
        long now = ticker.read();
        synchronized (lock) {
            List<QueuedView> waiting = new ArrayList<>();
            for (GroupQueue queue : queues.values()) {
                for (Iterator<QueuedQuery> iterator = queue.iterator(); iterator.hasNext(); ) {
                    QueuedQuery query = iterator.next();
                    waiting.add(new QueuedView(query.id(), query.key().group(), query.key().user(), query.key().priority(), query.key().admissionClass(), queue.position(query), NANOSECONDS.toMillis(now - query.enqueuedNanos()), query.blockedBy()));
                }
            }
            waiting.sort((left, right) -> left.group().equals(right.group()) ? Integer.compare(left.position(), right.position()) : left.group().compareTo(right.group()));
            Map<String, Map<String, Integer>> byClass = new TreeMap<>();
            runningByClass.forEach((key, running) -> byClass.computeIfAbsent(key.group(), _ -> new TreeMap<>()).put(key.admissionClass(), running));
            return new Snapshot(enabled, limits, new TreeMap<>(runningByGroup), new TreeMap<>(runningByUser), new TreeMap<>(runningBySource), new TreeMap<>(runningByCluster), byClass,
                    new TreeMap<>(elsewhereByUser), new TreeMap<>(elsewhereBySource), waiting, counters());
        }
    }

    private AdmissionSlot acquire(AdmissionKey key, Cluster cluster)
    {
        AdmissionSlot slot = new AdmissionSlot(key, cluster, ticker);
        slots.add(slot);
        runningByUser.merge(key.user(), 1, Integer::sum);
        if (sourceMaxRunning.containsKey(key.source())) {
            runningBySource.merge(key.source(), 1, Integer::sum);
        }
        runningByGroup.merge(key.group(), 1, Integer::sum);
        runningByCluster.merge(cluster.name(), 1, Integer::sum);
        key.admissionClass()
                .filter(classMaxRunning::containsKey)
                .ifPresent(admissionClass -> runningByClass.merge(new ClassKey(key.group(), admissionClass), 1, Integer::sum));
        return slot;
    }

    /**
     * The user's, the source's or the group's limit, if the query would exceed it.
     */
    private Optional<String> limitReached(AdmissionKey key)
    {
        return ownLimitReached(key).or(() -> groupLimitReached(key.group()));
    }

    /**
     * The limits of the user, of the source and of the admission class: those that let another user's query pass.
     */
    private Optional<String> ownLimitReached(AdmissionKey key)
    {
        return userLimitReached(key.user())
                .or(() -> sourceLimitReached(key.source()))
                .or(() -> classLimitReached(key));
    }

    private Optional<String> classLimitReached(AdmissionKey key)
    {
        if (key.admissionClass().isEmpty()) {
            return Optional.empty();
        }
        String admissionClass = key.admissionClass().get();
        Integer limit = classMaxRunning.get(admissionClass);
        if (limit != null && runningByClass.getOrDefault(new ClassKey(key.group(), admissionClass), 0) >= limit) {
            return Optional.of("the limit of %s running queries of admission class '%s' in routing group '%s' (admission.class-max-running)".formatted(limit, admissionClass, key.group()));
        }
        return Optional.empty();
    }

    private Optional<String> sourceLimitReached(String source)
    {
        Integer limit = sourceMaxRunning.get(source);
        if (limit != null) {
            int own = runningBySource.getOrDefault(source, 0);
            int elsewhere = elsewhereBySource.getOrDefault(source, 0);
            if (own + elsewhere >= limit) {
                return Optional.of("the limit of %s running queries for source '%s' (admission.source-max-running%s)".formatted(limit, source, elsewhere(own, elsewhere)));
            }
        }
        return Optional.empty();
    }

    private Optional<String> userLimitReached(String user)
    {
        OptionalInt limit = limit(userMaxRunning, user, maxRunningPerUser);
        if (limit.isPresent()) {
            int own = runningByUser.getOrDefault(user, 0);
            int elsewhere = elsewhereByUser.getOrDefault(user, 0);
            if (own + elsewhere >= limit.getAsInt()) {
                return Optional.of("the limit of %s running queries for user '%s' (%s%s)".formatted(limit.getAsInt(), user,
                        userMaxRunning.containsKey(user) ? "admission.user-max-running" : "admission.max-running-per-user", elsewhere(own, elsewhere)));
            }
        }
        return Optional.empty();
    }

    private static String elsewhere(int own, int elsewhere)
    {
        return elsewhere == 0 ? "" : "; %s through this gateway, %s elsewhere by the clusters' heartbeats".formatted(own, elsewhere);
    }

    /**
     * Recomputes what the clusters' heartbeats count beyond this gateway's own queries, when a
     * new report was read or a heartbeat went stale. For each cluster with a fresh heartbeat and
     * each user (and limited source) it counts, the queries elsewhere are the heartbeat's count
     * minus this gateway's queries that heartbeat already saw: sent to that cluster at least
     * {@link #HEARTBEAT_OVERLAP_NANOS} before it, and not ended before it. This gateway's own
     * queries then count from its own bookkeeping alone, so a query just sent counts at once and
     * a heartbeat does not count it twice. A query sent within the overlap before the heartbeat
     * may count twice until the next one: a limit errs on the strict side.
     */
    private void refreshElsewhere(long now)
    {
        if (!fleetLimits) {
            return;
        }
        List<ReportedQueryCounts> reports = reportedCounts.get();
        Map<String, ReportedQueryCounts> fresh = new HashMap<>();
        long freshUntil = Long.MAX_VALUE;
        for (ReportedQueryCounts report : reports) {
            if (now - report.heartbeatNanos() <= heartbeatMaxAgeNanos) {
                fresh.put(report.clusterName(), report);
                freshUntil = Math.min(freshUntil, report.heartbeatNanos() + heartbeatMaxAgeNanos);
            }
        }
        Map<String, Map<String, Integer>> seenByUser = new HashMap<>();
        Map<String, Map<String, Integer>> seenBySource = new HashMap<>();
        synchronized (lock) {
            // an ended query matters to heartbeats written before its end only: once every
            // cluster's latest heartbeat is later (or too old to count), it is forgotten
            long forget = fresh.isEmpty() ? Long.MAX_VALUE : freshUntil - heartbeatMaxAgeNanos;
            while (!ended.isEmpty() && ended.peekFirst().endedNanos() < forget) {
                ended.removeFirst();
            }
            if (reports == countsUsed && now < countsFreshUntilNanos) {
                return;
            }
            // under the lock only what needs it: the own queries each heartbeat already saw
            if (!fresh.isEmpty()) {
                for (AdmissionSlot slot : slots) {
                    seen(fresh, slot.cluster().name(), slot.key(), slot.admittedNanos(), Long.MAX_VALUE, seenByUser, seenBySource);
                }
                for (Ended query : ended) {
                    seen(fresh, query.cluster(), query.key(), query.admittedNanos(), query.endedNanos(), seenByUser, seenBySource);
                }
            }
        }
        // the sums over up to 1000 users per cluster, outside the lock: only this sweeper thread writes these maps
        Map<String, Integer> users = new HashMap<>();
        Map<String, Integer> sources = new HashMap<>();
        for (ReportedQueryCounts report : fresh.values()) {
            elsewhere(report.counts().byUser(), seenByUser.getOrDefault(report.clusterName(), Map.of()), _ -> true, users);
            elsewhere(report.counts().bySource(), seenBySource.getOrDefault(report.clusterName(), Map.of()), sourceMaxRunning::containsKey, sources);
        }
        synchronized (lock) {
            elsewhereByUser = users;
            elsewhereBySource = sources;
            countsUsed = reports;
            countsFreshUntilNanos = fresh.isEmpty() ? Long.MAX_VALUE : freshUntil;
        }
    }

    private void seen(Map<String, ReportedQueryCounts> fresh, String cluster, AdmissionKey key, long admittedNanos, long endedNanos,
            Map<String, Map<String, Integer>> seenByUser, Map<String, Map<String, Integer>> seenBySource)
    {
        ReportedQueryCounts report = fresh.get(cluster);
        if (report == null || admittedNanos > report.heartbeatNanos() - HEARTBEAT_OVERLAP_NANOS || endedNanos <= report.heartbeatNanos()) {
            return;
        }
        seenByUser.computeIfAbsent(cluster, _ -> new HashMap<>()).merge(key.user(), 1, Integer::sum);
        if (sourceMaxRunning.containsKey(key.source())) {
            seenBySource.computeIfAbsent(cluster, _ -> new HashMap<>()).merge(key.source(), 1, Integer::sum);
        }
    }

    private static void elsewhere(Map<String, Integer> counted, Map<String, Integer> seen, Predicate<String> limited, Map<String, Integer> elsewhere)
    {
        counted.forEach((name, count) -> {
            int others = count - seen.getOrDefault(name, 0);
            if (others > 0 && limited.test(name)) {
                elsewhere.merge(name, others, Integer::sum);
            }
        });
    }

    private Optional<String> groupLimitReached(String group)
    {
        OptionalInt limit = limit(groupMaxRunning, group, maxRunningPerGroup);
        if (limit.isPresent() && runningByGroup.getOrDefault(group, 0) >= limit.getAsInt()) {
            return Optional.of("the limit of %s running queries in routing group '%s' (%s)".formatted(limit.getAsInt(), group,
                    groupMaxRunning.containsKey(group) ? "admission.group-max-running" : "admission.max-running-per-group"));
        }
        return Optional.empty();
    }

    private static String capacityLimit(String group)
    {
        return "the capacity of the clusters of routing group '%s': all are full (admission.cluster-capacity)".formatted(group);
    }

    private static OptionalInt limit(Map<String, Integer> overrides, String key, OptionalInt defaultLimit)
    {
        Integer override = overrides.get(key);
        return override == null ? defaultLimit : OptionalInt.of(override);
    }

    private Set<String> fullClusters()
    {
        if (clusterCapacity.isEmpty() && clusterCapacities.isEmpty()) {
            return Set.of();
        }
        Set<String> full = new HashSet<>();
        runningByCluster.forEach((cluster, running) -> {
            OptionalInt capacity = limit(clusterCapacities, cluster, clusterCapacity);
            if (capacity.isPresent() && running >= capacity.getAsInt()) {
                full.add(cluster);
            }
        });
        return full;
    }

    /**
     * Admits the queued queries that fit now: in each group the highest priority first, and the
     * users of one priority in turn. A query held by its own limit (user, source, class) lets the
     * next one pass, of its priority or a lower one; the group's limit and full clusters hold all.
     */
    private void dispatch(List<CompletableFuture<Void>> wake)
    {
        if (queues.isEmpty()) {
            return;
        }
        long now = ticker.read();
        for (GroupQueue queue : queues.values()) {
            for (GroupQueue.Level level : queue.levels()) {
                if (!dispatch(queue, level, wake, now)) {
                    break;
                }
            }
        }
    }

    /**
     * Admits the queries of one priority that fit, users in turn.
     *
     * @return false when the group can take no more queries now, of any priority
     */
    private boolean dispatch(GroupQueue queue, GroupQueue.Level level, List<CompletableFuture<Void>> wake, long now)
    {
        int skipped = 0;
        while (!level.isEmpty() && skipped < level.users()) {
            if (ownLimitReached(level.next().key()).isPresent()) {
                // the user's queries run in their order: the next user's turn
                level.skipUser();
                skipped++;
                continue;
            }
            if (groupLimitReached(queue.group()).isPresent()) {
                return false;
            }
            Optional<Cluster> cluster = clusters.select(queue.group(), level.next().key().protocol(), fullClusters());
            if (cluster.isEmpty()) {
                return false;
            }
            QueuedQuery query = queue.take(level);
            admitted.incrementAndGet();
            wake.add(query.admitted(acquire(query.key(), cluster.get()), now));
            skipped = 0;
        }
        return true;
    }

    private void sweepSafely()
    {
        try {
            sweep();
        }
        catch (RuntimeException e) {
            log.error(e, "Admission sweep failed");
        }
    }

    /**
     * Fails the queries that waited too long, forgets those whose clients left, releases the
     * slots of admitted queries whose clients went quiet, and admits what fits.
     */
    void sweep()
    {
        long now = ticker.read();
        refreshElsewhere(now);
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        List<AdmissionSlot> quiet = new ArrayList<>();
        synchronized (lock) {
            for (GroupQueue queue : queues.values()) {
                List<QueuedQuery> over = new ArrayList<>();
                queue.iterator().forEachRemaining(query -> {
                    if (now - query.enqueuedNanos() >= maxQueueWaitNanos || now - query.lastPolledNanos() >= QUEUED_CLIENT_TIMEOUT_NANOS) {
                        over.add(query);
                    }
                });
                for (QueuedQuery query : over) {
                    queue.remove(query);
                    if (now - query.enqueuedNanos() >= maxQueueWaitNanos) {
                        timedOut.incrementAndGet();
                        wake.add(query.failed(QueuedQuery.Failure.QUEUE_TIMEOUT,
                                "Query waited in the gateway's queue longer than admission.max-queue-wait (%s), held by %s".formatted(maxQueueWait, query.blockedBy()), now));
                    }
                    else {
                        expired.incrementAndGet();
                        wake.add(query.failed(QueuedQuery.Failure.ABANDONED, ABANDONED, now));
                    }
                }
            }
            queues.values().removeIf(GroupQueue::isEmpty);
            for (QueuedQuery query : queuedById.values()) {
                if (query.state() == QueuedQuery.State.ADMITTED && !query.claimed() && now - query.lastPolledNanos() >= QUEUED_CLIENT_TIMEOUT_NANOS && query.claim()) {
                    // admitted, but its client never came back for it
                    expired.incrementAndGet();
                    quiet.add(query.slot().orElseThrow());
                    wake.add(query.failed(QueuedQuery.Failure.ABANDONED, ABANDONED, now));
                }
            }
            queuedById.values().removeIf(query -> query.state() != QueuedQuery.State.WAITING && now - query.finishedNanos() >= TOMBSTONE_NANOS);
            for (AdmissionSlot slot : slots) {
                if (now - slot.lastSeenNanos() >= clientTimeoutNanos) {
                    quiet.add(slot);
                }
            }
            dispatch(wake);
        }
        for (AdmissionSlot slot : quiet) {
            log.info("Admitted query %s of user %s on cluster %s: its client sent nothing for %s, it no longer counts against the limits",
                    slot.queryId().orElse("(not started)"), slot.key().user(), slot.cluster().name(), clientTimeoutNanos / 1_000_000_000 + "s");
            release(slot);
        }
        wake.forEach(AdmissionController::complete);
    }

    private record ClassKey(String group, String admissionClass) {}

    private static void complete(CompletableFuture<Void> waiter)
    {
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    private static <K> void decrement(Map<K, Integer> counts, K key)
    {
        counts.computeIfPresent(key, (_, count) -> count <= 1 ? null : count - 1);
    }

    private String newId()
    {
        return "gw_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private String newSlug()
    {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
