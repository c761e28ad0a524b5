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
package io.switchboard.store.routing;

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
final class TestTransactionRouteDao
{
    private static final Instant STARTED = Instant.parse("2026-03-01T12:00:00.123Z");

    private TestingStore store;
    private TransactionRouteDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dao = new TransactionRouteDao(Jdbi.create(store.dataSource()));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void anOpenTransactionIsFoundUntilItEnds()
    {
        dao.started("tx-open", "adhoc-1", "gateway-a", STARTED);
        assertThat(dao.openTransactionCluster("tx-open")).contains("adhoc-1");
        assertThat(dao.openTransactionCluster("tx-unknown")).isEmpty();

        dao.ended("tx-open", STARTED.plusSeconds(5));
        assertThat(dao.openTransactionCluster("tx-open")).isEmpty();
        // a transaction id seen starting again (another replica's late write) is open again
        dao.started("tx-open", "adhoc-2", "gateway-b", STARTED.plusSeconds(6));
        assertThat(dao.openTransactionCluster("tx-open")).contains("adhoc-2");
    }

    @Test
    void openTransactionsOfAClusterAreThoseNeitherEndedNorIdle()
    {
        Instant now = STARTED.plusSeconds(10_000);
        dao.started("tx-a", "drain-1", "gateway-a", now.minusSeconds(3_000));
        dao.started("tx-b", "drain-1", "gateway-a", now.minusSeconds(60));
        dao.started("tx-c", "drain-1", "gateway-a", now.minusSeconds(60));
        dao.started("tx-d", "drain-2", "gateway-a", now.minusSeconds(60));
        dao.ended("tx-c", now.minusSeconds(30));
        // tx-a started long ago but a statement ran in it a minute ago; an older write does not move it back
        dao.used("tx-a", now.minusSeconds(60));
        dao.used("tx-a", now.minusSeconds(2_000));
        assertThat(dao.openTransactions("drain-1", now.minusSeconds(360))).isEqualTo(2);
        assertThat(dao.openTransactions("drain-1", now.minusSeconds(30))).isZero();
        assertThat(dao.openTransactions("drain-2", now.minusSeconds(360))).isEqualTo(1);
        assertThat(dao.openTransactions("drain-3", now.minusSeconds(360))).isZero();
    }

    @Test
    void oldRowsAreDeleted()
    {
        dao.started("tx-old", "adhoc-1", "gateway-a", STARTED.minusSeconds(86_400));
        dao.started("tx-new", "adhoc-1", "gateway-a", STARTED);
        assertThat(dao.deleteStartedBefore(STARTED.minusSeconds(3_600))).isEqualTo(1);
        assertThat(dao.openTransactionCluster("tx-old")).isEmpty();
        assertThat(dao.openTransactionCluster("tx-new")).contains("adhoc-1");
    }
}
