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

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What a rule can know of a statement without running it: what it does and which catalogs,
 * schemas and tables it reads and writes, as far as the SQL text and the catalog and schema of
 * the session say.
 * <p>
 * Names are lower-cased in every part, quoted or not, because that is the object Trino resolves
 * them to (Trino's {@code QualifiedName#getParts}); a table is {@code catalog.schema.table}, a
 * schema {@code catalog.schema}. A part that itself holds a dot or a double quote is written
 * quoted, SQL style ({@code hive.web."2024.logs"}), so that the string has one reading.
 *
 * @param statementType what the statement does; {@link StatementType#UNKNOWN} when it was not parsed
 * @param trinoStatementName the simple name of Trino's syntax tree class for the statement that
 * runs, e.g. {@code Query}, {@code Insert}, {@code CreateTableAsSelect} (what trino-gateway's
 * {@code getQueryType()} answers); empty when the statement was not parsed
 * @param tablesRead tables whose data or definition the statement reads, never the names of
 * {@code WITH} queries
 * @param tablesWritten tables, views and materialized views the statement creates, changes, fills or drops
 * @param catalogs the catalogs of the tables, schemas, table functions and procedures named
 * @param schemas the schemas ({@code catalog.schema}) of the tables, table functions and procedures
 * named and of the schemas named by schema statements
 * @param unqualifiedNames names that could not be fully qualified because the session has no
 * catalog or schema; they stay in {@link #tablesRead} or {@link #tablesWritten} as far as they are
 * known (e.g. {@code orders} or {@code sales.orders}) and add no catalog or schema
 * @param tablesKnown false when the tables of the statement cannot be known from its text: an
 * {@code EXECUTE} of a prepared statement, or a statement that was not parsed
 * @param parseError why the statement was not parsed: too large or not valid SQL
 */
public record SqlFacts(
        StatementType statementType,
        String trinoStatementName,
        Set<String> tablesRead,
        Set<String> tablesWritten,
        Set<String> catalogs,
        Set<String> schemas,
        List<String> unqualifiedNames,
        boolean tablesKnown,
        Optional<String> parseError)
{
    public SqlFacts
    {
        requireNonNull(statementType, "statementType is null");
        requireNonNull(trinoStatementName, "trinoStatementName is null");
        tablesRead = ImmutableSet.copyOf(tablesRead);
        tablesWritten = ImmutableSet.copyOf(tablesWritten);
        catalogs = ImmutableSet.copyOf(catalogs);
        schemas = ImmutableSet.copyOf(schemas);
        unqualifiedNames = ImmutableList.copyOf(unqualifiedNames);
        requireNonNull(parseError, "parseError is null");
        checkArgument(parseError.isEmpty() || statementType == StatementType.UNKNOWN, "a statement that was not parsed is UNKNOWN");
    }

    public static SqlFacts notParsed(String reason)
    {
        return new SqlFacts(StatementType.UNKNOWN, "", Set.of(), Set.of(), Set.of(), Set.of(), List.of(), false, Optional.of(reason));
    }

    public boolean parsed()
    {
        return parseError.isEmpty();
    }

    /**
     * Every table named, read or written.
     */
    public Set<String> tables()
    {
        return ImmutableSet.<String>builder().addAll(tablesRead).addAll(tablesWritten).build();
    }
}
