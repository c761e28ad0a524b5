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
package io.switchboard.store.rollout;

import io.switchboard.store.TestingStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.switchboard.store.rollout.RolloutState.FAILED;
import static io.switchboard.store.rollout.RolloutState.RUNNING;
import static io.switchboard.store.rollout.RolloutState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestRollingRestartDao
{
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00.123Z");

    private TestingStore store;
    private RollingRestartDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dao = new RollingRestartDao(Jdbi.create(store.dataSource()));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void onlyOneRestartOfAGroupRunsAtATimeAndOnlyItsOwnerWritesIt()
    {
        RollingRestartRecord first = running("group-a", "{\"step\": 1}");
        assertThat(dao.start(first, "replica-1", LEASE)).isTrue();
        assertThat(dao.start(running("group-a", "{\"other\": true}"), "replica-2", LEASE)).isFalse();
        assertThat(dao.get("group-a")).contains(withOwner(first, "replica-1"));

        RollingRestartRecord progressed = new RollingRestartRecord("group-a", RUNNING, Optional.of("etl-2"), Optional.empty(), "alice", STARTED,
                Optional.empty(), Optional.empty(), "{\"step\": 2}");
        assertThat(dao.save(progressed, "replica-2", LEASE)).as("a replica that does not own it").isFalse();
        assertThat(dao.save(progressed, "replica-1", LEASE)).isTrue();
        assertThat(dao.get("group-a").orElseThrow().progress()).isEqualTo("{\"step\": 2}");

        RollingRestartRecord failed = new RollingRestartRecord("group-a", FAILED, Optional.empty(), Optional.of("x".repeat(3000)), "alice", STARTED,
                Optional.of(STARTED.plusSeconds(90)), Optional.empty(), "{\"step\": 3}");
        assertThat(dao.save(failed, "replica-1", LEASE)).isTrue();
        RollingRestartRecord stored = dao.get("group-a").orElseThrow();
        assertThat(stored.state()).isEqualTo(FAILED);
        assertThat(stored.owner()).as("a finished restart has no owner").isEmpty();
        assertThat(stored.reason().orElseThrow()).hasSize(2048).endsWith("...");
        assertThat(stored.finishedAt()).contains(STARTED.plusSeconds(90));

        // a finished restart is replaced by the next one
        assertThat(dao.start(running("group-a", "{\"again\": true}"), "replica-2", LEASE)).isTrue();
        assertThat(dao.get("group-a").orElseThrow().owner()).contains("replica-2");
        assertThat(dao.get("group-unknown")).isEmpty();
        assertThatThrownBy(() -> dao.start(failed, "replica-1", LEASE)).hasMessageContaining("must be RUNNING");
    }

    @Test
    void aReleasedOrExpiredRestartIsClaimedByExactlyOneReplica()
            throws Exception
    {
        assertThat(dao.start(running("group-released", "{}"), "replica-1", LEASE)).isTrue();
        assertThat(dao.start(running("group-expiring", "{}"), "replica-1", Duration.ofMillis(200))).isTrue();
        assertThat(dao.start(running("group-alive", "{}"), "replica-1", LEASE)).isTrue();
        assertThat(dao.start(running("group-done", "{}"), "replica-1", Duration.ofMillis(200))).isTrue();
        assertThat(dao.save(new RollingRestartRecord("group-done", SUCCEEDED, Optional.empty(), Optional.empty(), "alice", STARTED,
                Optional.of(STARTED.plusSeconds(5)), Optional.empty(), "{}"), "replica-1", LEASE)).isTrue();
        dao.release("group-released", "replica-1");
        dao.release("group-alive", "replica-other");
        Thread.sleep(400);

        List<String> claimed;
        try (ExecutorService executor = Executors.newFixedThreadPool(3)) {
            List<Future<List<RollingRestartRecord>>> claims = executor.invokeAll(List.<Callable<List<RollingRestartRecord>>>of(
                    () -> dao.claimAbandoned("replica-2", LEASE),
                    () -> dao.claimAbandoned("replica-3", LEASE),
                    () -> dao.claimAbandoned("replica-4", LEASE)));
            claimed = claims.stream()
                    .flatMap(claim -> {
                        try {
                            return claim.get().stream();
                        }
                        catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .map(RollingRestartRecord::routingGroup)
                    .toList();
        }
        assertThat(claimed).containsExactlyInAnyOrder("group-released", "group-expiring");
        assertThat(dao.get("group-alive").orElseThrow().owner()).contains("replica-1");
        assertThat(dao.get("group-released").orElseThrow().owner()).isPresent().get().isNotEqualTo("replica-1");
        assertThat(dao.save(running("group-expiring", "{}"), "replica-1", LEASE)).as("the replica that lost its lease").isFalse();
        assertThat(dao.claimAbandoned("replica-5", LEASE)).isEmpty();
    }

    @Test
    void theLeaseIsMeasuredByMysqlInUtc()
    {
        assertThat(dao.start(running("group-lease", "{}"), "replica-1", Duration.ofMinutes(5))).isTrue();
        Jdbi jdbi = Jdbi.create(store.dataSource());
        long secondsLeft = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(3), lease_expires_at) FROM rolling_restarts WHERE routing_group = 'group-lease'")
                .mapTo(Long.class)
                .one());
        assertThat(secondsLeft).isBetween(290L, 300L);
    }

    private static RollingRestartRecord running(String group, String progress)
    {
        return new RollingRestartRecord(group, RUNNING, Optional.of("etl-1"), Optional.empty(), "alice", STARTED, Optional.empty(), Optional.empty(), progress);
    }

    private static RollingRestartRecord withOwner(RollingRestartRecord restart, String owner)
    {
        return new RollingRestartRecord(restart.routingGroup(), restart.state(), restart.currentCluster(), restart.reason(), restart.startedBy(),
                restart.startedAt(), restart.finishedAt(), Optional.of(owner), restart.progress());
    }
}
