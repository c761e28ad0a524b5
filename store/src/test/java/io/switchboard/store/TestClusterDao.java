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
package io.switchboard.store;

import io.switchboard.store.audit.AuditDao;
import io.switchboard.store.audit.AuditEntry;
import io.switchboard.store.cluster.ClusterDao;
import io.switchboard.store.cluster.ClusterRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;

import java.time.Instant;
import java.util.List;

import static io.switchboard.store.cluster.ClusterKind.PRESTODB;
import static io.switchboard.store.cluster.ClusterKind.TRINO;
import static io.switchboard.store.cluster.DesiredState.ACTIVE;
import static io.switchboard.store.cluster.DesiredState.DRAINING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestClusterDao
{
    private TestingStore store;
    private DataSource dataSource;
    private ClusterDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dataSource = store.dataSource();
        dao = new ClusterDao(Jdbi.create(dataSource));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void insertUpdateAndDelete()
    {
        ClusterRecord cluster = new ClusterRecord("adhoc-1", "http://127.0.0.1:8081", "https://adhoc-1.example.net", "adhoc", true, ACTIVE, 1, TRINO);
        assertThat(dao.insert(cluster)).isTrue();
        assertThat(dao.insert(cluster)).as("duplicate name").isFalse();
        assertThat(dao.get("adhoc-1")).contains(cluster);

        ClusterRecord draining = new ClusterRecord("adhoc-1", "http://127.0.0.1:8082", "https://adhoc-1.example.net", "etl", false, DRAINING, 3, PRESTODB);
        assertThat(dao.update(draining)).isTrue();
        assertThat(dao.list()).containsExactly(draining);
        assertThat(dao.update(new ClusterRecord("missing", "http://x", "http://x", "g", true, ACTIVE, 1, TRINO))).isFalse();

        assertThat(dao.setDesiredState("adhoc-1", ACTIVE)).isTrue();
        assertThat(dao.get("adhoc-1").orElseThrow().desiredState()).isEqualTo(ACTIVE);

        assertThat(dao.delete("adhoc-1")).isTrue();
        assertThat(dao.delete("adhoc-1")).isFalse();
        assertThat(dao.list()).isEmpty();
    }

    @Test
    void auditLogKeepsEveryChangeNewestFirst()
    {
        AuditDao audit = new AuditDao(Jdbi.create(dataSource));
        Instant before = Instant.now().minusSeconds(5);
        audit.insert("alice", "127.0.0.1", "ADD_CLUSTER", "etl-1", "{\"proxyUrl\":\"http://a\"}");
        audit.insert("bob", "10.0.0.2", "DEACTIVATE_CLUSTER", "etl-1", null);
        audit.insert("bob", "10.0.0.2", "DELETE_CLUSTER", "other", null);

        List<AuditEntry> forTarget = audit.latest(10, "etl-1");
        assertThat(forTarget).extracting(AuditEntry::action).containsExactly("DEACTIVATE_CLUSTER", "ADD_CLUSTER");
        assertThat(forTarget.getLast().actor()).isEqualTo("alice");
        assertThat(forTarget.getLast().details()).isEqualTo("{\"proxyUrl\":\"http://a\"}");
        assertThat(forTarget.getLast().occurredAt()).isAfter(before);
        assertThat(audit.latest(1, null)).extracting(AuditEntry::target).containsExactly("other");
    }
}
