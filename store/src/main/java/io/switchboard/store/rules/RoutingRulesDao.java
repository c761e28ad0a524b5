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

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static io.switchboard.store.Columns.cut;
import static java.util.Objects.requireNonNull;

/**
 * The {@code routing_rules} table: every version of the routing rules, the newest in force.
 */
public class RoutingRulesDao
{
    private final Jdbi jdbi;

    public RoutingRulesDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public long latestVersion()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COALESCE(MAX(version), 0) FROM routing_rules")
                .mapTo(Long.class)
                .one());
    }

    /**
     * The document of a version.
     */
    public Optional<String> document(long version)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT document FROM routing_rules WHERE version = :version")
                .bind("version", version)
                .mapTo(String.class)
                .findOne());
    }

    /**
     * Writes the next version, or returns false when another change took that version number
     * first: the caller reads the new latest version and decides again.
     */
    public boolean insert(long version, String document, String changedBy, String changeSummary)
    {
        checkArgument(version > 0, "version must be positive");
        try {
            jdbi.useHandle(handle -> handle.createUpdate("""
                            INSERT INTO routing_rules (version, document, changed_by, changed_at, change_summary)
                            VALUES (:version, :document, :changedBy, UTC_TIMESTAMP(3), :changeSummary)
                            """)
                    .bind("version", version)
                    .bind("document", document)
                    .bind("changedBy", changedBy)
                    .bind("changeSummary", cut(changeSummary, 1024))
                    .execute());
            return true;
        }
        catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The newest versions first.
     */
    public List<RuleSetVersion> versions(int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        return jdbi.withHandle(handle -> handle.createQuery("SELECT version, changed_at, changed_by, change_summary FROM routing_rules ORDER BY version DESC LIMIT :limit")
                .bind("limit", limit)
                .map((resultSet, _) -> new RuleSetVersion(
                        resultSet.getLong("version"),
                        resultSet.getTimestamp("changed_at").toInstant(),
                        resultSet.getString("changed_by"),
                        resultSet.getString("change_summary")))
                .list());
    }
}
