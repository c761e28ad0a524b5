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
package io.switchboard.gateway.rules.sql;

import com.google.common.collect.Maps;

import java.util.EnumMap;
import java.util.Map;

import static io.switchboard.gateway.rules.sql.StatementType.ANALYZE;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_TABLE_AS;
import static io.switchboard.gateway.rules.sql.StatementType.DELETE;
import static io.switchboard.gateway.rules.sql.StatementType.DESCRIBE;
import static io.switchboard.gateway.rules.sql.StatementType.EXECUTE;
import static io.switchboard.gateway.rules.sql.StatementType.EXPLAIN;
import static io.switchboard.gateway.rules.sql.StatementType.EXPLAIN_ANALYZE;
import static io.switchboard.gateway.rules.sql.StatementType.INSERT;
import static io.switchboard.gateway.rules.sql.StatementType.MERGE;
import static io.switchboard.gateway.rules.sql.StatementType.REFRESH_MATERIALIZED_VIEW;
import static io.switchboard.gateway.rules.sql.StatementType.SELECT;
import static io.switchboard.gateway.rules.sql.StatementType.SHOW;
import static io.switchboard.gateway.rules.sql.StatementType.TABLE_EXECUTE;
import static io.switchboard.gateway.rules.sql.StatementType.UNKNOWN;
import static io.switchboard.gateway.rules.sql.StatementType.UPDATE;

/**
 * Trino's resource group query type of a statement, which trino-gateway's rules read as
 * {@code getResourceGroupQueryType()}: SELECT, EXPLAIN, DESCRIBE, INSERT, UPDATE, DELETE, ANALYZE,
 * ALTER_TABLE_EXECUTE, MERGE, DATA_DEFINITION (every other statement), or empty when the statement
 * did not parse.
 */
public final class QueryTypes
{
    private static final Map<StatementType, String> RESOURCE_GROUP_QUERY_TYPES = Maps.immutableEnumMap(resourceGroupQueryTypes());

    private QueryTypes() {}

    public static String resourceGroupQueryType(StatementType statementType)
    {
        return RESOURCE_GROUP_QUERY_TYPES.getOrDefault(statementType, "DATA_DEFINITION");
    }

    private static Map<StatementType, String> resourceGroupQueryTypes()
    {
        Map<StatementType, String> types = new EnumMap<>(StatementType.class);
        types.put(SELECT, "SELECT");
        types.put(EXPLAIN, "EXPLAIN");
        // Trino reports the analyzed statement's type, which the statement type does not tell
        types.put(EXPLAIN_ANALYZE, "UNKNOWN");
        types.put(DESCRIBE, "DESCRIBE");
        types.put(SHOW, "DESCRIBE");
        types.put(INSERT, "INSERT");
        types.put(CREATE_TABLE_AS, "INSERT");
        types.put(REFRESH_MATERIALIZED_VIEW, "INSERT");
        types.put(UPDATE, "UPDATE");
        types.put(DELETE, "DELETE");
        types.put(MERGE, "MERGE");
        types.put(ANALYZE, "ANALYZE");
        types.put(TABLE_EXECUTE, "ALTER_TABLE_EXECUTE");
        // the prepared statement's type, which the gateway does not know
        types.put(EXECUTE, "UNKNOWN");
        types.put(UNKNOWN, "");
        return types;
    }
}
