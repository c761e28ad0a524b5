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
package io.switchboard.store.plugin;

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.EmbeddedMysql;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.SchemaMigrations;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestSchemaGate
{
    @Test
    void opensOnceTheSchemaIsThereAndNeverChecksAgain()
    {
        try (EmbeddedMysql mysql = EmbeddedMysql.startTemporary("switchboard");
                HikariDataSource pool = MysqlDataSources.create(mysql.connection().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)), "gate", 1)) {
            SchemaGate gate = new SchemaGate(pool, "the test plugin", "nothing happens until then");
            Jdbi jdbi = Jdbi.create(pool);

            assertThat(gate.isOpen()).isFalse();
            assertThat(gate.isOpen()).isFalse();
            // checking changed nothing
            int tables = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()").mapTo(Integer.class).one());
            assertThat(tables).isZero();

            mysql.stopServer();
            try {
                assertThatThrownBy(gate::isOpen).isInstanceOf(RuntimeException.class);
            }
            finally {
                mysql.startServer();
            }

            SchemaMigrations.apply(pool);
            assertThat(gate.isOpen()).isTrue();
            jdbi.useHandle(handle -> handle.execute("DROP TABLE schema_history"));
            assertThat(gate.isOpen()).isTrue();
        }
    }
}
