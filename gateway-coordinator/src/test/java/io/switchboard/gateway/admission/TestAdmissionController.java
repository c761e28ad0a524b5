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

import io.airlift.testing.TestingTicker;
import io.airlift.units.Duration;
import io.switchboard.gateway.admission.AdmissionController.Admission;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ReportedQueryCounts;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.DesiredState;
import io.switchboard.store.status.QueryCounts;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

final class TestAdmissionController
{
    private final TestingTicker ticker = new TestingTicker();

    @Test
    void admitsUnderTheUserLimitAndQueuesOverIt()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerUser(2), Map.of("adhoc", List.of("a-1")));
        AdmissionSlot first = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q1"));
        AdmissionSlot second = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q2"));
        assertThat(first.cluster().name()).isEqualTo("a-1");
        QueuedQuery third = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q3"));
        assertThat(third.id()).startsWith("gw_");
        assertThat(third.slug()).hasSize(32);
        assertThat(third.blockedBy()).isEqualTo("the limit of 2 running queries for user 'alice' (admission.max-running-per-user)");
        // another user is not held by alice's limit
        admitted(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "q4"));

        CompletableFuture<Void> poll = controller.poll(third);
        assertThat(poll).isNotDone();
        controller.bind(first, "20261206_000000_00001_abcde");
        assertThat(controller.running("20261206_000000_00001_abcde")).contains(first);
        controller.release(first);
        assertThat(controller.running("20261206_000000_00001_abcde")).isEmpty();
        assertThat(poll).isDone();
        assertThat(third.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        assertThat(third.claim()).isTrue();
        assertThat(third.claim()).isFalse();
        // the poll that claimed it takes the statement, once: the remembered query no longer holds it
        assertThat(third.takeStatement()).isEqualTo("q3");
        assertThatThrownBy(third::takeStatement).hasMessageContaining("taken already");
        // releasing twice frees one slot only
        controller.release(first);
        assertThat(controller.snapshot().runningByUser()).isEqualTo(Map.of("alice", 2, "bob", 1));
        controller.release(second);
        controller.release(third.slot().orElseThrow());
        assertThat(controller.snapshot().runningByUser()).isEqualTo(Map.of("bob", 1));
        assertThat(controller.counters()).isEqualTo(new AdmissionController.Counters(4, 1, 0, 0, 0, 0));
    }

    @Test
    void usersTakeTurnsInTheirGroupsQueue()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerGroup(1), Map.of("adhoc", List.of("a-1")));
        AdmissionSlot running = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "first"));
        List<QueuedQuery> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "alice")));
        }
        queued.add(queued(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "bob")));
        queued.add(queued(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "bob")));
        queued.add(queued(controller.submit(new AdmissionKey("carol", "", "adhoc"), () -> "carol")));
        assertThat(queued.getFirst().blockedBy()).isEqualTo("the limit of 1 running queries in routing group 'adhoc' (admission.max-running-per-group)");
        // positions follow the round-robin order: alice, bob, carol, alice, bob, alice, alice
        assertThat(queued.stream().map(controller::position).toList()).containsExactly(1, 4, 6, 7, 2, 5, 3);

        List<String> order = new ArrayList<>();
        AdmissionSlot slot = running;
        for (int i = 0; i < queued.size(); i++) {
            controller.release(slot);
            QueuedQuery next = queued.stream().filter(query -> query.state() == QueuedQuery.State.ADMITTED && query.claim()).findFirst().orElseThrow();
            order.add(next.key().user());
            slot = next.slot().orElseThrow();
        }
        assertThat(order).containsExactly("alice", "bob", "carol", "alice", "bob", "alice", "alice");
    }

    @Test
    void higherPrioritiesGoFirstAndUsersOfOnePriorityTakeTurns()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerGroup(1), Map.of("adhoc", List.of("a-1")));
        AdmissionSlot running = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "first"));
        List<QueuedQuery> queued = new ArrayList<>();
        queued.add(queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q")));
        queued.add(queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q")));
        queued.add(queued(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "q")));
        queued.add(queued(controller.submit(new AdmissionKey("bob", "", "adhoc", -5, Optional.empty()), () -> "q")));
        queued.add(queued(controller.submit(new AdmissionKey("etl", "", "adhoc", 10, Optional.empty()), () -> "q")));
        queued.add(queued(controller.submit(new AdmissionKey("etl", "", "adhoc", 10, Optional.empty()), () -> "q")));
        queued.add(queued(controller.submit(new AdmissionKey("carol", "", "adhoc", 10, Optional.empty()), () -> "q")));
        // priority 10 (etl, carol, etl), then 0 (alice, bob, alice), then -5 (bob)
        assertThat(queued.stream().map(controller::position).toList()).containsExactly(4, 6, 5, 7, 1, 3, 2);
        assertThat(controller.snapshot().queued())
                .extracting(AdmissionController.QueuedView::user, AdmissionController.QueuedView::priority, AdmissionController.QueuedView::position)
                .containsExactly(
                        tuple("etl", 10, 1), tuple("carol", 10, 2), tuple("etl", 10, 3),
                        tuple("alice", 0, 4), tuple("bob", 0, 5), tuple("alice", 0, 6),
                        tuple("bob", -5, 7));

        List<String> order = new ArrayList<>();
        AdmissionSlot slot = running;
        for (int i = 0; i < queued.size(); i++) {
            controller.release(slot);
            QueuedQuery next = queued.stream().filter(query -> query.state() == QueuedQuery.State.ADMITTED && query.claim()).findFirst().orElseThrow();
            order.add(next.key().user() + "@" + next.key().priority());
            slot = next.slot().orElseThrow();
            // a query queued now, of a higher priority, goes before all that wait
            if (i == 3) {
                queued.add(queued(controller.submit(new AdmissionKey("dave", "", "adhoc", 1, Optional.empty()), () -> "q")));
            }
        }
        assertThat(order).containsExactly("etl@10", "carol@10", "etl@10", "alice@0", "dave@1", "bob@0", "alice@0", "bob@-5");
    }

    @Test
    void aHigherPriorityHeldByItsOwnLimitLetsALowerOnePass()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerGroup(2).setUserMaxRunning("etl:1"), Map.of("adhoc", List.of("a-1")));
        admitted(controller.submit(new AdmissionKey("etl", "", "adhoc", 10, Optional.empty()), () -> "q"));
        AdmissionSlot alice = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        QueuedQuery etl = queued(controller.submit(new AdmissionKey("etl", "", "adhoc", 10, Optional.empty()), () -> "q"));
        QueuedQuery bob = queued(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "q"));
        assertThat(controller.position(etl)).isEqualTo(1);
        assertThat(controller.position(bob)).isEqualTo(2);

        controller.release(alice);
        assertThat(etl.state()).isEqualTo(QueuedQuery.State.WAITING);
        assertThat(bob.state()).isEqualTo(QueuedQuery.State.ADMITTED);
    }

    @Test
    void anAdmissionClassLimitHoldsOnlyThatClassInItsGroup()
    {
        AdmissionController controller = controller(config -> config.setClassMaxRunning("reports:1"), Map.of("adhoc", List.of("a-1"), "etl", List.of("e-1")));
        Optional<String> reports = Optional.of("reports");
        AdmissionSlot first = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc", 0, reports), () -> "q"));
        QueuedQuery held = queued(controller.submit(new AdmissionKey("bob", "", "adhoc", 0, reports), () -> "q"));
        assertThat(held.blockedBy()).isEqualTo("the limit of 1 running queries of admission class 'reports' in routing group 'adhoc' (admission.class-max-running)");
        // other classes, no class, and the class in another group pass
        admitted(controller.submit(new AdmissionKey("bob", "", "adhoc", 0, Optional.of("backfill")), () -> "q"));
        admitted(controller.submit(new AdmissionKey("carol", "", "adhoc"), () -> "q"));
        admitted(controller.submit(new AdmissionKey("dave", "", "etl", 0, reports), () -> "q"));
        // a query held by its class does not hold another user's query of the same priority
        QueuedQuery other = queued(controller.submit(new AdmissionKey("erin", "", "adhoc", 0, reports), () -> "q"));
        assertThat(controller.snapshot().runningByClass()).isEqualTo(Map.of("adhoc", Map.of("reports", 1), "etl", Map.of("reports", 1)));

        controller.release(first);
        assertThat(held.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        assertThat(other.state()).isEqualTo(QueuedQuery.State.WAITING);
        controller.release(held.slot().orElseThrow());
        assertThat(other.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        controller.release(other.slot().orElseThrow());
        assertThat(controller.snapshot().runningByClass()).isEqualTo(Map.of("etl", Map.of("reports", 1)));
    }

    @Test
    void aUserOverItsLimitDoesNotHoldOthersBack()
    {
        AdmissionController controller = controller(config -> config.setUserMaxRunning("alice:1").setMaxRunningPerGroup(3), Map.of("adhoc", List.of("a-1")));
        admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "a"));
        QueuedQuery alice = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "a"));
        assertThat(alice.blockedBy()).contains("admission.user-max-running");
        AdmissionSlot bob = admitted(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "b"));
        admitted(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "b"));
        QueuedQuery carol = queued(controller.submit(new AdmissionKey("carol", "", "adhoc"), () -> "c"));
        controller.release(bob);
        // alice's turn came first, but she is at her limit
        assertThat(alice.state()).isEqualTo(QueuedQuery.State.WAITING);
        assertThat(carol.state()).isEqualTo(QueuedQuery.State.ADMITTED);
    }

    @Test
    void aSourceLimitHoldsOnlyThatSource()
    {
        AdmissionController controller = controller(config -> config.setSourceMaxRunning("airflow:1"), Map.of("adhoc", List.of("a-1")));
        AdmissionSlot first = admitted(controller.submit(new AdmissionKey("alice", "airflow", "adhoc"), () -> "q"));
        QueuedQuery held = queued(controller.submit(new AdmissionKey("bob", "airflow", "adhoc"), () -> "q"));
        assertThat(held.blockedBy()).isEqualTo("the limit of 1 running queries for source 'airflow' (admission.source-max-running)");
        admitted(controller.submit(new AdmissionKey("bob", "superset", "adhoc"), () -> "q"));
        admitted(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "q"));
        controller.release(first);
        assertThat(held.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        assertThat(controller.snapshot().runningBySource()).isEqualTo(Map.of("airflow", 1));
    }

    @Test
    void userAndSourceLimitsCountWhatTheHeartbeatsSeeElsewhere()
    {
        AtomicReference<List<ReportedQueryCounts>> reports = new AtomicReference<>(List.of());
        AdmissionConfig config = new AdmissionConfig().setEnabled(true).setMaxRunningPerUser(3).setSourceMaxRunning("airflow:2");
        AdmissionController controller = new AdmissionController(config, new FirstWithRoom(Map.of("adhoc", List.of("a-1"))), reports::get, new Duration(10, SECONDS), ticker);

        AdmissionSlot ours = admitted(controller.submit(new AdmissionKey("alice", "airflow", "adhoc"), () -> "q"));
        ticker.increment(2, SECONDS);
        // a heartbeat of a-1 half a second ago: our query and two of alice's from elsewhere, one of them by airflow
        reports.set(List.of(report("a-1", -500, Map.of("alice", 3, "bob", 1), Map.of("airflow", 2, "jdbc", 1))));
        controller.sweep();
        assertThat(controller.snapshot().elsewhereByUser()).isEqualTo(Map.of("alice", 2, "bob", 1));
        assertThat(controller.snapshot().elsewhereBySource()).as("limited sources only").isEqualTo(Map.of("airflow", 1));
        QueuedQuery held = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        assertThat(held.blockedBy()).isEqualTo("the limit of 3 running queries for user 'alice' (admission.max-running-per-user; 1 through this gateway, 2 elsewhere by the clusters' heartbeats)");
        QueuedQuery bySource = queued(controller.submit(new AdmissionKey("carol", "airflow", "adhoc"), () -> "q"));
        assertThat(bySource.blockedBy()).contains("for source 'airflow'").contains("1 through this gateway, 1 elsewhere");

        // our query ends: the heartbeat that still counts it does not hold alice back
        controller.release(ours);
        assertThat(held.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        assertThat(bySource.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        controller.sweep();
        assertThat(controller.snapshot().elsewhereByUser()).isEqualTo(Map.of("alice", 2, "bob", 1));

        // a query sent just before a heartbeat may count twice until the next one: strict, never lenient
        AdmissionSlot bob = admitted(controller.submit(new AdmissionKey("bob", "", "adhoc"), () -> "q"));
        ticker.increment(200, MILLISECONDS);
        reports.set(List.of(report("a-1", 0, Map.of("alice", 3, "bob", 2), Map.of())));
        controller.sweep();
        // it counts alice's and bob's queries just sent (and the one that ended before it no more)
        assertThat(controller.snapshot().elsewhereByUser()).isEqualTo(Map.of("alice", 3, "bob", 2));
        ticker.increment(2, SECONDS);
        reports.set(List.of(report("a-1", 0, Map.of("alice", 3, "bob", 2), Map.of())));
        controller.sweep();
        assertThat(controller.snapshot().elsewhereByUser()).as("alice's admitted query is ours now").isEqualTo(Map.of("alice", 2, "bob", 1));
        assertThat(controller.snapshot().runningByUser()).isEqualTo(Map.of("alice", 1, "bob", 1, "carol", 1));
        controller.release(bob);

        // a stale heartbeat counts for nothing
        ticker.increment(11, SECONDS);
        controller.sweep();
        assertThat(controller.snapshot().elsewhereByUser()).isEmpty();
        admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
    }

    private ReportedQueryCounts report(String cluster, long millisFromNow, Map<String, Integer> byUser, Map<String, Integer> bySource)
    {
        return new ReportedQueryCounts(cluster, ticker.read() + MILLISECONDS.toNanos(millisFromNow), new QueryCounts(byUser, bySource));
    }

    @Test
    void clusterCapacityPicksAClusterWithRoomOrQueues()
    {
        AdmissionController controller = controller(config -> config.setClusterCapacity(1).setClusterCapacities("a-2:2"), Map.of("adhoc", List.of("a-1", "a-2"), "etl", List.of()));
        List<String> placed = new ArrayList<>();
        List<AdmissionSlot> slots = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AdmissionSlot slot = admitted(controller.submit(new AdmissionKey("user" + i, "", "adhoc"), () -> "q"));
            placed.add(slot.cluster().name());
            slots.add(slot);
        }
        assertThat(placed).containsExactly("a-1", "a-2", "a-2");
        QueuedQuery queued = queued(controller.submit(new AdmissionKey("user9", "", "adhoc"), () -> "q"));
        assertThat(queued.blockedBy()).contains("admission.cluster-capacity");
        controller.release(slots.get(1));
        assertThat(queued.slot().orElseThrow().cluster().name()).isEqualTo("a-2");
        // a group without any cluster is no capacity problem: the proxy says no cluster is available
        assertThat(controller.submit(new AdmissionKey("user1", "", "etl"), () -> "q")).isInstanceOf(Admission.NoCluster.class);
        assertThat(controller.submit(new AdmissionKey("user1", "", "unknown"), () -> "q")).isInstanceOf(Admission.NoCluster.class);
    }

    @Test
    void aFullQueueRejects()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerUser(1).setMaxQueuedPerGroup(1), Map.of("adhoc", List.of("a-1")));
        admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        Admission full = controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q");
        assertThat(full).isInstanceOf(Admission.QueueFull.class);
        assertThat(((Admission.QueueFull) full).message())
                .isEqualTo("Too many queued queries in routing group 'adhoc': 1 are waiting in the gateway (admission.max-queued-per-group), " +
                        "the query is held by the limit of 1 running queries for user 'alice' (admission.max-running-per-user)");
        assertThat(controller.counters().rejected()).isEqualTo(1);
    }

    @Test
    void aQueryWaitingTooLongFails()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerUser(1).setMaxQueueWait(new Duration(2, MINUTES)), Map.of("adhoc", List.of("a-1")));
        admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        QueuedQuery queued = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        for (int i = 0; i < 11; i++) {
            ticker.increment(10, SECONDS);
            controller.poll(queued);
            controller.sweep();
        }
        assertThat(queued.state()).isEqualTo(QueuedQuery.State.WAITING);
        CompletableFuture<Void> poll = controller.poll(queued);
        ticker.increment(10, SECONDS);
        controller.sweep();
        assertThat(poll).isDone();
        assertThat(queued.state()).isEqualTo(QueuedQuery.State.FAILED);
        assertThat(queued.failure()).contains(QueuedQuery.Failure.QUEUE_TIMEOUT);
        assertThat(queued.message()).isEqualTo("Query waited in the gateway's queue longer than admission.max-queue-wait (2.00m), " +
                "held by the limit of 1 running queries for user 'alice' (admission.max-running-per-user)");
        assertThat(controller.position(queued)).isZero();
        assertThat(controller.counters().timedOut()).isEqualTo(1);
        // the client's next poll still finds it, for the error; later it is forgotten
        assertThat(controller.queued(queued.id())).isPresent();
        ticker.increment(61, SECONDS);
        controller.sweep();
        assertThat(controller.queued(queued.id())).isEmpty();
    }

    @Test
    void cancelledQueriesLeaveTheQueue()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerUser(1), Map.of("adhoc", List.of("a-1")));
        AdmissionSlot running = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        QueuedQuery cancelled = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        QueuedQuery next = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        CompletableFuture<Void> poll = controller.poll(cancelled);
        controller.cancel(cancelled);
        assertThat(poll).isDone();
        assertThat(cancelled.state()).isEqualTo(QueuedQuery.State.CANCELLED);
        assertThat(controller.position(next)).isEqualTo(1);
        controller.release(running);
        assertThat(cancelled.slot()).isEmpty();
        assertThat(next.state()).isEqualTo(QueuedQuery.State.ADMITTED);

        // admitted but not yet taken by its client's poll: cancelling gives the slot back
        QueuedQuery third = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        controller.cancel(next);
        assertThat(third.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        assertThat(controller.counters().cancelled()).isEqualTo(2);
    }

    @Test
    void slotsOfQuietClientsExpire()
    {
        AdmissionController controller = controller(config -> config.setMaxRunningPerUser(1).setClientTimeout(new Duration(5, MINUTES)), Map.of("adhoc", List.of("a-1")));
        AdmissionSlot running = admitted(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        controller.bind(running, "query_1");
        QueuedQuery queued = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        for (int i = 0; i < 10; i++) {
            ticker.increment(20, SECONDS);
            running.touch();
            controller.poll(queued);
            controller.sweep();
        }
        assertThat(queued.state()).isEqualTo(QueuedQuery.State.WAITING);
        // the slot's client stops; the queued query's goes on polling
        for (int i = 0; i < 16; i++) {
            ticker.increment(20, SECONDS);
            controller.poll(queued);
            controller.sweep();
        }
        assertThat(queued.state()).isEqualTo(QueuedQuery.State.ADMITTED);
        assertThat(controller.running("query_1")).isEmpty();

        // a queued query whose client stops polling is dropped
        QueuedQuery abandoned = queued(controller.submit(new AdmissionKey("alice", "", "adhoc"), () -> "q"));
        ticker.increment(31, SECONDS);
        controller.sweep();
        assertThat(abandoned.failure()).contains(QueuedQuery.Failure.ABANDONED);
        // as is the slot of an admitted queued query whose client never took it
        assertThat(queued.claimed()).isTrue();
        assertThat(queued.failure()).contains(QueuedQuery.Failure.ABANDONED);
        assertThat(controller.snapshot().runningByUser()).isEmpty();
    }

    private AdmissionSlot admitted(Admission admission)
    {
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) admission).slot();
    }

    private static QueuedQuery queued(Admission admission)
    {
        assertThat(admission).isInstanceOf(Admission.Queued.class);
        return ((Admission.Queued) admission).query();
    }

    private AdmissionController controller(Consumer<AdmissionConfig> settings, Map<String, List<String>> clustersByGroup)
    {
        AdmissionConfig config = new AdmissionConfig().setEnabled(true);
        settings.accept(config);
        return new AdmissionController(config, new FirstWithRoom(clustersByGroup), ticker);
    }

    /**
     * The first cluster of the group that is not excluded: the routing's own policies are tested with ClusterSelector.
     */
    private record FirstWithRoom(Map<String, List<String>> clustersByGroup)
            implements ClusterChoice
    {
        @Override
        public Optional<Cluster> select(String group, ClusterKind protocol, Set<String> excluded)
        {
            return clustersByGroup.getOrDefault(group, List.of()).stream()
                    .filter(_ -> protocol == ClusterKind.TRINO)
                    .filter(name -> !excluded.contains(name))
                    .findFirst()
                    .map(name -> new Cluster(name, URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), group, true, DesiredState.ACTIVE, 1, ClusterKind.TRINO));
        }

        @Override
        public boolean hasClusters(String group)
        {
            return !clustersByGroup.getOrDefault(group, List.of()).isEmpty();
        }
    }
}
