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
package io.switchboard.store.lease;

import io.switchboard.store.TestingStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.switchboard.store.lease.LeaseOutcome.HELD_ELSEWHERE;
import static io.switchboard.store.lease.LeaseOutcome.KEPT;
import static io.switchboard.store.lease.LeaseOutcome.TAKEN_EXPIRED;
import static io.switchboard.store.lease.LeaseOutcome.TAKEN_RELEASED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestLeaseDao
{
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private TestingStore store;
    private LeaseDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dao = new LeaseDao(Jdbi.create(store.dataSource()));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void oneHolderAtATimeUntilItReleases()
            throws InterruptedException
    {
        assertThat(dao.holder("duty-a")).isEmpty();
        assertThat(dao.acquire("duty-a", "replica-1", MINUTE).outcome()).isEqualTo(TAKEN_RELEASED);
        assertThat(dao.acquire("duty-a", "replica-2", MINUTE).outcome()).isEqualTo(HELD_ELSEWHERE);
        assertThat(dao.acquire("duty-a", "replica-1", MINUTE).outcome()).isEqualTo(KEPT);
        assertThat(dao.holder("duty-a")).contains("replica-1");

        dao.release("duty-a", "replica-2");
        assertThat(dao.holder("duty-a")).as("only the holder releases it").contains("replica-1");
        dao.release("duty-a", "replica-1");
        assertThat(dao.holder("duty-a")).isEmpty();
        Thread.sleep(300);
        LeaseGrant taken = dao.acquire("duty-a", "replica-2", MINUTE);
        assertThat(taken.outcome()).isEqualTo(TAKEN_RELEASED);
        assertThat(taken.unheldFor()).as("since the release").isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        assertThat(dao.acquire("duty-a", "replica-1", MINUTE).outcome()).isEqualTo(HELD_ELSEWHERE);
        assertThat(dao.holder("duty-a")).contains("replica-2");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndSaysSo()
            throws InterruptedException
    {
        assertThat(dao.acquire("duty-b", "replica-1", Duration.ofMillis(300)).outcome()).isEqualTo(TAKEN_RELEASED);
        assertThat(dao.acquire("duty-b", "replica-2", MINUTE).outcome()).isEqualTo(HELD_ELSEWHERE);
        Thread.sleep(600);
        assertThat(dao.holder("duty-b")).isEmpty();
        LeaseGrant taken = dao.acquire("duty-b", "replica-2", MINUTE);
        assertThat(taken.outcome()).isEqualTo(TAKEN_EXPIRED);
        assertThat(taken.unheldFor()).as("since the expiry").isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        assertThat(dao.acquire("duty-b", "replica-1", MINUTE).outcome()).isEqualTo(HELD_ELSEWHERE);
        assertThat(dao.holder("duty-b")).contains("replica-2");
    }

    @Test
    void ofReplicasTakingANewLeaseAtOnceOneHoldsIt()
            throws Exception
    {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Callable<LeaseOutcome>> attempts = List.of(
                    () -> dao.acquire("duty-c", "replica-1", MINUTE).outcome(),
                    () -> dao.acquire("duty-c", "replica-2", MINUTE).outcome(),
                    () -> dao.acquire("duty-c", "replica-3", MINUTE).outcome(),
                    () -> dao.acquire("duty-c", "replica-4", MINUTE).outcome());
            List<LeaseOutcome> outcomes = executor.invokeAll(attempts).stream().map(TestLeaseDao::get).toList();
            assertThat(outcomes).containsOnlyOnce(TAKEN_RELEASED);
            assertThat(outcomes.stream().filter(outcome -> outcome == HELD_ELSEWHERE)).hasSize(3);
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static LeaseOutcome get(Future<LeaseOutcome> future)
    {
        try {
            return future.get();
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
