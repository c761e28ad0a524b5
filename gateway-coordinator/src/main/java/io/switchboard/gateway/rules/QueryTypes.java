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
package io.switchboard.gateway.rules;

import com.google.common.collect.ImmutableMap;

import java.util.Map;

/**
 * The query types trino-gateway's rules read: {@code getQueryType()} (the simple name of Trino's
 * AST class of the statement) and {@code getResourceGroupQueryType()} (Trino's resource group
 * query type), derived from {@link SqlFacts#statementType()}. Both are empty when the statement
 * did not parse, as in trino-gateway.
 */
public final class QueryTypes
{
    private record Types(String queryType, String resourceGroupQueryType) {}

    private static final Types NOT_PARSED = new Types("", "");

    // statement type -> AST class, resource group query type (Trino's StatementUtils)
    private static final Map<String, Types> TYPES = ImmutableMap.<String, Types>builder()
            .put("SELECT", new Types("Query", "SELECT"))
            .put("INSERT", new Types("Insert", "INSERT"))
            .put("UPDATE", new Types("Update", "UPDATE"))
            .put("DELETE", new Types("Delete", "DELETE"))
            .put("MERGE", new Types("Merge", "MERGE"))
            .put("CREATE_TABLE", new Types("CreateTable", "DATA_DEFINITION"))
            .put("CREATE_TABLE_AS", new Types("CreateTableAsSelect", "INSERT"))
            .put("CREATE_VIEW", new Types("CreateView", "DATA_DEFINITION"))
            .put("CREATE_MATERIALIZED_VIEW", new Types("CreateMaterializedView", "DATA_DEFINITION"))
            .put("REFRESH_MATERIALIZED_VIEW", new Types("RefreshMaterializedView", "INSERT"))
            .put("DROP_TABLE", new Types("DropTable", "DATA_DEFINITION"))
            .put("DROP_VIEW", new Types("DropView", "DATA_DEFINITION"))
            .put("TRUNCATE", new Types("TruncateTable", "DATA_DEFINITION"))
            .put("ANALYZE", new Types("Analyze", "ANALYZE"))
            .put("ALTER_TABLE_EXECUTE", new Types("TableExecute", "ALTER_TABLE_EXECUTE"))
            .put("EXPLAIN", new Types("Explain", "EXPLAIN"))
            // trino-gateway reports the type of the analyzed statement, which the statement type does not tell
            .put("EXPLAIN_ANALYZE", new Types("ExplainAnalyze", "UNKNOWN"))
            .put("DESCRIBE", new Types("ShowColumns", "DESCRIBE"))
            .put("SHOW", new Types("", "DESCRIBE"))
            .put("USE", new Types("Use", "DATA_DEFINITION"))
            .put("SET_SESSION", new Types("SetSession", "DATA_DEFINITION"))
            .put("RESET_SESSION", new Types("ResetSession", "DATA_DEFINITION"))
            .put("CALL", new Types("Call", "DATA_DEFINITION"))
            .put("DDL", new Types("", "DATA_DEFINITION"))
            .put("UNKNOWN", NOT_PARSED)
            .buildOrThrow();

    private QueryTypes() {}

    public static String queryType(String statementType)
    {
        return types(statementType).queryType();
    }

    public static String resourceGroupQueryType(String statementType)
    {
        return types(statementType).resourceGroupQueryType();
    }

    private static Types types(String statementType)
    {
        return TYPES.getOrDefault(statementType, new Types("", "UNKNOWN"));
    }
}
