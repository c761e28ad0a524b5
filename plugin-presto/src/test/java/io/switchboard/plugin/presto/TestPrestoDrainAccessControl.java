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
package io.switchboard.plugin.presto;

import com.facebook.presto.common.RuntimeStats;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.QueryId;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.WarningCollector;
import com.facebook.presto.spi.security.AccessControlContext;
import com.facebook.presto.spi.security.Identity;
import io.switchboard.plugin.router.DrainGate;
import io.switchboard.plugin.router.DrainStateMachine;
import io.switchboard.plugin.router.RouterConfig;
import io.switchboard.plugin.router.RouterStats;
import io.switchboard.plugin.router.RunningQueries;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.facebook.presto.spi.StandardErrorCode.SERVER_SHUTTING_DOWN;
import static io.switchboard.store.routing.TransactionRouteDao.TRANSACTION_CREDENTIAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access control on PrestoDB's own SPI types; the end-to-end drain on a real PrestoDB server
 * is in the gateway's TestPrestoDbPlugins.
 */
final class TestPrestoDrainAccessControl
{
    private static final AccessControlContext CONTEXT = new AccessControlContext(QueryId.valueOf("20261206_000000_00000_abcde"), Optional.empty(), Optional.empty(), WarningCollector.NOOP, new RuntimeStats());
    private static final Identity ALICE = new Identity("alice", Optional.empty());

    private final DrainStateMachine stateMachine = new DrainStateMachine(new RouterConfig());
    private final RouterStats stats = new RouterStats(stateMachine, new RunningQueries());
    private final PrestoDrainAccessControl accessControl = new PrestoDrainAccessControl(new DrainGate("presto-1", Optional.of("https://gateway.example.net"), stateMachine, stats));

    @Test
    void allowsEverythingWhileActive()
    {
        accessControl.checkCanSetUser(ALICE, CONTEXT, Optional.empty(), "alice");
        accessControl.checkQueryIntegrity(ALICE, CONTEXT, "SELECT 1");
        accessControl.checkCanAccessCatalog(ALICE, CONTEXT, "tpch");
        Set<SchemaTableName> tables = Set.of(new SchemaTableName("tiny", "nation"), new SchemaTableName("tiny", "region"));
        // PrestoDB's interface filters everything out by default
        assertThat(accessControl.filterTables(ALICE, CONTEXT, "tpch", tables)).isEqualTo(tables);
        assertThat(accessControl.filterCatalogs(ALICE, CONTEXT, Set.of("tpch", "system"))).containsExactlyInAnyOrder("tpch", "system");
        assertThat(accessControl.filterSchemas(ALICE, CONTEXT, "tpch", Set.of("tiny"))).containsExactly("tiny");
        assertThat(stats.getRefusedQueries()).isZero();
    }

    @Test
    void refusesNewQueriesWhileDrainingExceptStatementsOfOpenTransactions()
    {
        stateMachine.update(true, 1);

        assertThatThrownBy(() -> accessControl.checkCanSetUser(ALICE, CONTEXT, Optional.empty(), "alice"))
                .isInstanceOfSatisfying(PrestoException.class, e -> assertThat(e.getErrorCode()).isEqualTo(SERVER_SHUTTING_DOWN.toErrorCode()))
                .hasMessage("Cluster presto-1 is shutting down (SHUTTING_DOWN) and accepts no new queries; queries already running finish normally. " +
                        "Retry in a few minutes, or connect through the Switchboard gateway at https://gateway.example.net, which sends queries to a cluster that is serving.");
        assertThat(stats.getRefusedQueries()).isEqualTo(1);

        Identity inTransaction = new Identity("alice", Optional.empty(), Map.of(TRANSACTION_CREDENTIAL, "tx-1"));
        accessControl.checkCanSetUser(inTransaction, CONTEXT, Optional.empty(), "alice");
        assertThat(stats.getRefusedQueries()).isEqualTo(1);

        // the rest of a query that was admitted before the drain
        accessControl.checkCanSelectFromColumns(ALICE, CONTEXT, null, Set.of("name"));
    }

    @Test
    void factoriesHaveTheTrinoPluginsNames()
    {
        SwitchboardPrestoPlugin plugin = new SwitchboardPrestoPlugin("0.287", (_, _) -> {});
        assertThat(plugin.getEventListenerFactories()).singleElement().extracting(factory -> factory.getName()).isEqualTo("switchboard-events");
        assertThat(plugin.getSystemAccessControlFactories()).singleElement().extracting(factory -> factory.getName()).isEqualTo("switchboard-router");
    }
}
