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
package io.switchboard.store.health;

import io.switchboard.store.TestingStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;

import java.time.Instant;
import java.util.List;

import static io.switchboard.store.health.HealthState.HEALTHY;
import static io.switchboard.store.health.HealthState.MISCONFIGURED;
import static io.switchboard.store.health.HealthState.PENDING;
import static io.switchboard.store.health.HealthState.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestClusterHealthDao
{
    private TestingStore store;
    private DataSource dataSource;
    private ClusterHealthDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dataSource = store.dataSource();
        dao = new ClusterHealthDao(Jdbi.create(dataSource));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void historyListsTheTransitionsOfOneClusterNewestFirst()
    {
        Instant start = Instant.parse("2025-06-01T10:00:00.123Z");
        HealthTransition first = new HealthTransition("health-a", start, PENDING, HEALTHY, "first probe answered", "gateway-a");
        HealthTransition down = new HealthTransition("health-a", start.plusSeconds(60), HEALTHY, UNHEALTHY, "Connection refused", "gateway-a");
        HealthTransition seenByOther = new HealthTransition("health-a", start.plusSeconds(61), HEALTHY, UNHEALTHY, "Connection refused", "gateway-b");
        HealthTransition otherCluster = new HealthTransition("health-b", start.plusSeconds(5), PENDING, MISCONFIGURED,
                "set http-server.process-forwarded=true", "gateway-a");
        dao.insert(List.of(first, down, seenByOther, otherCluster));

        assertThat(dao.history("health-a", 10)).containsExactly(seenByOther, down, first);
        assertThat(dao.history("health-a", 1)).containsExactly(seenByOther);
        assertThat(dao.history("health-b", 10)).containsExactly(otherCluster);
        assertThat(dao.history("health-unknown", 10)).isEmpty();
    }

    @Test
    void longReasonsAreTruncatedNotRejected()
    {
        String reason = "x".repeat(5000);
        dao.insert(List.of(new HealthTransition("health-long", Instant.parse("2025-06-02T00:00:00Z"), PENDING, UNHEALTHY, reason, "gateway-a")));
        assertThat(dao.history("health-long", 1).getFirst().reason()).hasSize(1024).endsWith("...");
    }

    @Test
    void retentionDeletesOnlyOlderTransitions()
    {
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        Instant recent = Instant.parse("2030-01-01T00:00:00Z");
        dao.insert(List.of(
                new HealthTransition("health-retention", old, PENDING, HEALTHY, "ok", "gateway-a"),
                new HealthTransition("health-retention", recent, HEALTHY, UNHEALTHY, "down", "gateway-a")));
        assertThat(dao.deleteBefore(Instant.parse("2021-01-01T00:00:00Z"))).isEqualTo(1);
        assertThat(dao.history("health-retention", 10)).extracting(HealthTransition::occurredAt).containsExactly(recent);
    }
}
