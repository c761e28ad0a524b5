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
package io.switchboard.store.cluster;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code clusters} table: the member clusters as registered with the gateway.
 */
public class ClusterDao
{
    private static final String COLUMNS = "name, proxy_url, external_url, routing_group, active, desired_state, weight, kind";
    private static final RowMapper<ClusterRecord> MAPPER = (resultSet, context) -> new ClusterRecord(
            resultSet.getString("name"),
            resultSet.getString("proxy_url"),
            resultSet.getString("external_url"),
            resultSet.getString("routing_group"),
            resultSet.getBoolean("active"),
            DesiredState.valueOf(resultSet.getString("desired_state")),
            resultSet.getInt("weight"),
            ClusterKind.valueOf(resultSet.getString("kind")));

    private final Jdbi jdbi;

    public ClusterDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public List<ClusterRecord> list()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM clusters ORDER BY name")
                .map(MAPPER)
                .list());
    }

    public Optional<ClusterRecord> get(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM clusters WHERE name = :name")
                .bind("name", name)
                .map(MAPPER)
                .findOne());
    }

    /**
     * The name of the cluster whose name equals this one but for case.
     */
    public Optional<String> nameIgnoringCase(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT name FROM clusters WHERE LOWER(name) = LOWER(:name)")
                .bind("name", name)
                .mapTo(String.class)
                .findFirst());
    }

    /**
     * @return false if a cluster of that name exists already
     */
    public boolean insert(ClusterRecord cluster)
    {
        try {
            return jdbi.withHandle(handle -> handle.createUpdate(
                            "INSERT INTO clusters (" + COLUMNS + ", created_at, updated_at) " +
                                    "VALUES (:name, :proxyUrl, :externalUrl, :routingGroup, :active, :desiredState, :weight, :kind, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))")
                    .bindMethods(cluster)
                    .bind("desiredState", cluster.desiredState().name())
                    .bind("kind", cluster.kind().name())
                    .execute()) == 1;
        }
        catch (UnableToExecuteStatementException e) {
            // not INSERT IGNORE: that would also store a value cut to its column's length
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @return false if no cluster of that name exists
     */
    public boolean update(ClusterRecord cluster)
    {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE clusters SET proxy_url = :proxyUrl, external_url = :externalUrl, routing_group = :routingGroup, " +
                                "active = :active, desired_state = :desiredState, weight = :weight, kind = :kind, updated_at = UTC_TIMESTAMP(3) WHERE name = :name")
                .bindMethods(cluster)
                .bind("desiredState", cluster.desiredState().name())
                .bind("kind", cluster.kind().name())
                .execute()) == 1;
    }

    /**
     * @return false if no cluster of that name exists
     */
    public boolean setDesiredState(String name, DesiredState desiredState)
    {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE clusters SET desired_state = :desiredState, updated_at = UTC_TIMESTAMP(3) WHERE name = :name")
                .bind("name", name)
                .bind("desiredState", desiredState.name())
                .execute()) == 1;
    }

    /**
     * @return false if no cluster of that name exists
     */
    public boolean delete(String name)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM clusters WHERE name = :name")
                .bind("name", name)
                .execute()) == 1;
    }
}
