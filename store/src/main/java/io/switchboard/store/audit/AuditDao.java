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
package io.switchboard.store.audit;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The {@code audit_log} table.
 */
public class AuditDao
{
    private final Jdbi jdbi;

    public AuditDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public void insert(String actor, String remoteAddress, String action, String target, String details)
    {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "INSERT INTO audit_log (occurred_at, actor, remote_address, action, target, details) " +
                                "VALUES (UTC_TIMESTAMP(3), :actor, :remoteAddress, :action, :target, :details)")
                .bind("actor", actor)
                .bind("remoteAddress", remoteAddress)
                .bind("action", action)
                .bind("target", target)
                .bind("details", details)
                .execute());
    }

    /**
     * The newest entries first, optionally only those about one target.
     */
    public List<AuditEntry> latest(int limit, String target)
    {
        checkArgument(limit > 0, "limit must be positive");
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, occurred_at, actor, remote_address, action, target, details FROM audit_log " +
                                "WHERE (:target IS NULL OR target = :target) ORDER BY id DESC LIMIT :limit")
                .bind("target", target)
                .bind("limit", limit)
                .map((resultSet, context) -> new AuditEntry(
                        resultSet.getLong("id"),
                        resultSet.getTimestamp("occurred_at").toInstant(),
                        resultSet.getString("actor"),
                        resultSet.getString("remote_address"),
                        resultSet.getString("action"),
                        resultSet.getString("target"),
                        resultSet.getString("details")))
                .list());
    }
}
