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

/**
 * What a statement does, in the words a rule author uses. Each Trino statement maps to exactly one
 * type; {@link #DDL} holds the schema changes without a type of their own (ALTER, DROP VIEW,
 * CREATE SCHEMA, RENAME, COMMENT, CREATE FUNCTION, roles, ...). {@link #UNKNOWN} is a statement
 * that was not parsed: too large, not valid SQL, or a statement this parser version does not know.
 */
public enum StatementType
{
    SELECT,
    INSERT,
    UPDATE,
    DELETE,
    MERGE,
    TRUNCATE,
    CREATE_TABLE,
    CREATE_TABLE_AS,
    CREATE_VIEW,
    CREATE_MATERIALIZED_VIEW,
    REFRESH_MATERIALIZED_VIEW,
    DROP_TABLE,
    DDL,
    ANALYZE,
    /** {@code ALTER TABLE ... EXECUTE}, e.g. optimize: rewrites the table's data */
    TABLE_EXECUTE,
    EXPLAIN,
    EXPLAIN_ANALYZE,
    SHOW,
    /** {@code DESCRIBE table} (the same statement as {@code SHOW COLUMNS}), {@code DESCRIBE INPUT/OUTPUT} */
    DESCRIBE,
    USE,
    SET_SESSION,
    RESET_SESSION,
    SET_SESSION_AUTHORIZATION,
    RESET_SESSION_AUTHORIZATION,
    SET_PATH,
    SET_TIME_ZONE,
    SET_ROLE,
    START_TRANSACTION,
    COMMIT,
    ROLLBACK,
    PREPARE,
    EXECUTE,
    DEALLOCATE,
    CALL,
    GRANT,
    REVOKE,
    DENY,
    UNKNOWN
}
