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
package io.switchboard.store.rules;

import io.switchboard.store.TestingStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestRoutingRulesDao
{
    private TestingStore store;
    private RoutingRulesDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dao = new RoutingRulesDao(Jdbi.create(store.dataSource()));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void versionsAreWrittenOnceEachAndReadBackNewestFirst()
    {
        Instant before = Instant.now().minusSeconds(1);
        assertThat(dao.latestVersion()).isZero();
        assertThat(dao.insert(1, "{\"rules\": []}", "alice", "ADD_ROUTING_RULE first")).isTrue();
        assertThat(dao.insert(2, "{\"rules\": [1]}", "bob", "x".repeat(2000))).isTrue();
        // a second writer of the same version loses and changes nothing
        assertThat(dao.insert(2, "{\"rules\": [2]}", "carol", "concurrent")).isFalse();

        assertThat(dao.latestVersion()).isEqualTo(2);
        assertThat(dao.document(2)).contains("{\"rules\": [1]}");
        assertThat(dao.document(3)).isEmpty();
        assertThat(dao.versions(10)).extracting(RuleSetVersion::version).containsExactly(2L, 1L);
        RuleSetVersion first = dao.versions(10).getLast();
        assertThat(first.changedBy()).isEqualTo("alice");
        assertThat(first.changeSummary()).isEqualTo("ADD_ROUTING_RULE first");
        assertThat(first.changedAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(dao.versions(10).getFirst().changeSummary()).hasSize(1024);
        assertThat(dao.versions(1)).hasSize(1);
    }
}
