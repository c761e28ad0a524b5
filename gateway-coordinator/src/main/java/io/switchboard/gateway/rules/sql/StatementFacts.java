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

import io.trino.sql.tree.AddColumn;
import io.trino.sql.tree.Analyze;
import io.trino.sql.tree.Call;
import io.trino.sql.tree.Comment;
import io.trino.sql.tree.Commit;
import io.trino.sql.tree.CreateCatalog;
import io.trino.sql.tree.CreateFunction;
import io.trino.sql.tree.CreateMaterializedView;
import io.trino.sql.tree.CreateRole;
import io.trino.sql.tree.CreateSchema;
import io.trino.sql.tree.CreateTable;
import io.trino.sql.tree.CreateTableAsSelect;
import io.trino.sql.tree.CreateView;
import io.trino.sql.tree.Deallocate;
import io.trino.sql.tree.DefaultTraversalVisitor;
import io.trino.sql.tree.Delete;
import io.trino.sql.tree.Deny;
import io.trino.sql.tree.DescribeInput;
import io.trino.sql.tree.DescribeOutput;
import io.trino.sql.tree.DropCatalog;
import io.trino.sql.tree.DropColumn;
import io.trino.sql.tree.DropFunction;
import io.trino.sql.tree.DropMaterializedView;
import io.trino.sql.tree.DropNotNullConstraint;
import io.trino.sql.tree.DropRole;
import io.trino.sql.tree.DropSchema;
import io.trino.sql.tree.DropTable;
import io.trino.sql.tree.DropView;
import io.trino.sql.tree.Execute;
import io.trino.sql.tree.ExecuteImmediate;
import io.trino.sql.tree.Explain;
import io.trino.sql.tree.ExplainAnalyze;
import io.trino.sql.tree.Grant;
import io.trino.sql.tree.GrantRoles;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Insert;
import io.trino.sql.tree.LikeClause;
import io.trino.sql.tree.Merge;
import io.trino.sql.tree.Prepare;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.RefreshMaterializedView;
import io.trino.sql.tree.RenameColumn;
import io.trino.sql.tree.RenameMaterializedView;
import io.trino.sql.tree.RenameSchema;
import io.trino.sql.tree.RenameTable;
import io.trino.sql.tree.RenameView;
import io.trino.sql.tree.ResetSession;
import io.trino.sql.tree.ResetSessionAuthorization;
import io.trino.sql.tree.Revoke;
import io.trino.sql.tree.RevokeRoles;
import io.trino.sql.tree.Rollback;
import io.trino.sql.tree.SetAuthorizationStatement;
import io.trino.sql.tree.SetColumnType;
import io.trino.sql.tree.SetPath;
import io.trino.sql.tree.SetProperties;
import io.trino.sql.tree.SetRole;
import io.trino.sql.tree.SetSession;
import io.trino.sql.tree.SetSessionAuthorization;
import io.trino.sql.tree.SetTimeZone;
import io.trino.sql.tree.ShowCatalogs;
import io.trino.sql.tree.ShowColumns;
import io.trino.sql.tree.ShowCreate;
import io.trino.sql.tree.ShowFunctions;
import io.trino.sql.tree.ShowGrants;
import io.trino.sql.tree.ShowRoleGrants;
import io.trino.sql.tree.ShowRoles;
import io.trino.sql.tree.ShowSchemas;
import io.trino.sql.tree.ShowSession;
import io.trino.sql.tree.ShowStats;
import io.trino.sql.tree.ShowTables;
import io.trino.sql.tree.StartTransaction;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.TableExecute;
import io.trino.sql.tree.TableFunctionInvocation;
import io.trino.sql.tree.TableFunctionTableArgument;
import io.trino.sql.tree.TruncateTable;
import io.trino.sql.tree.Update;
import io.trino.sql.tree.Use;
import io.trino.sql.tree.With;
import io.trino.sql.tree.WithQuery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.switchboard.gateway.rules.sql.StatementType.ANALYZE;
import static io.switchboard.gateway.rules.sql.StatementType.CALL;
import static io.switchboard.gateway.rules.sql.StatementType.COMMIT;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_MATERIALIZED_VIEW;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_TABLE;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_TABLE_AS;
import static io.switchboard.gateway.rules.sql.StatementType.CREATE_VIEW;
import static io.switchboard.gateway.rules.sql.StatementType.DDL;
import static io.switchboard.gateway.rules.sql.StatementType.DEALLOCATE;
import static io.switchboard.gateway.rules.sql.StatementType.DELETE;
import static io.switchboard.gateway.rules.sql.StatementType.DENY;
import static io.switchboard.gateway.rules.sql.StatementType.DESCRIBE;
import static io.switchboard.gateway.rules.sql.StatementType.DROP_TABLE;
import static io.switchboard.gateway.rules.sql.StatementType.EXECUTE;
import static io.switchboard.gateway.rules.sql.StatementType.EXPLAIN;
import static io.switchboard.gateway.rules.sql.StatementType.EXPLAIN_ANALYZE;
import static io.switchboard.gateway.rules.sql.StatementType.GRANT;
import static io.switchboard.gateway.rules.sql.StatementType.INSERT;
import static io.switchboard.gateway.rules.sql.StatementType.MERGE;
import static io.switchboard.gateway.rules.sql.StatementType.PREPARE;
import static io.switchboard.gateway.rules.sql.StatementType.REFRESH_MATERIALIZED_VIEW;
import static io.switchboard.gateway.rules.sql.StatementType.RESET_SESSION;
import static io.switchboard.gateway.rules.sql.StatementType.RESET_SESSION_AUTHORIZATION;
import static io.switchboard.gateway.rules.sql.StatementType.REVOKE;
import static io.switchboard.gateway.rules.sql.StatementType.ROLLBACK;
import static io.switchboard.gateway.rules.sql.StatementType.SELECT;
import static io.switchboard.gateway.rules.sql.StatementType.SET_PATH;
import static io.switchboard.gateway.rules.sql.StatementType.SET_ROLE;
import static io.switchboard.gateway.rules.sql.StatementType.SET_SESSION;
import static io.switchboard.gateway.rules.sql.StatementType.SET_SESSION_AUTHORIZATION;
import static io.switchboard.gateway.rules.sql.StatementType.SET_TIME_ZONE;
import static io.switchboard.gateway.rules.sql.StatementType.SHOW;
import static io.switchboard.gateway.rules.sql.StatementType.START_TRANSACTION;
import static io.switchboard.gateway.rules.sql.StatementType.TABLE_EXECUTE;
import static io.switchboard.gateway.rules.sql.StatementType.TRUNCATE;
import static io.switchboard.gateway.rules.sql.StatementType.UNKNOWN;
import static io.switchboard.gateway.rules.sql.StatementType.UPDATE;
import static io.switchboard.gateway.rules.sql.StatementType.USE;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * The facts of one parsed statement, collected as it is walked; one instance per extraction.
 * The statement itself says what it writes and which schemas it names; a walk over its syntax
 * tree finds the tables it reads, wherever they are: joins, subqueries, set operations,
 * {@code WITH} queries (whose own names are not tables), table function arguments.
 */
final class StatementFacts
{
    private static final int TABLE_PARTS = 3;
    private static final int SCHEMA_PARTS = 2;

    private final SqlFactsExtractor extractor;
    private final SessionNames session;
    private final Set<String> tablesRead = new LinkedHashSet<>();
    private final Set<String> tablesWritten = new LinkedHashSet<>();
    private final Set<String> catalogs = new LinkedHashSet<>();
    private final Set<String> schemas = new LinkedHashSet<>();
    private final List<String> unqualifiedNames = new ArrayList<>();
    private boolean tablesKnown = true;
    // inside EXPLAIN (without ANALYZE) nothing is written: the targets are only read to plan
    private boolean planOnly;

    StatementFacts(SqlFactsExtractor extractor, SessionNames session)
    {
        this.extractor = requireNonNull(extractor, "extractor is null");
        this.session = requireNonNull(session, "session is null");
    }

    SqlFacts of(Statement statement)
    {
        if (statement instanceof ExecuteImmediate executeImmediate) {
            // it runs the statement in its string literal, which trino-gateway reports too
            return extractor.extract(executeImmediate.getStatement().getValue(), session);
        }
        StatementType type = classify(statement);
        new ReadTables().process(statement, null);
        return new SqlFacts(
                type,
                statement.getClass().getSimpleName(),
                tablesRead,
                tablesWritten,
                catalogs,
                schemas,
                unqualifiedNames,
                tablesKnown,
                Optional.empty());
    }

    /**
     * The type of the statement; records what it writes and the schemas and catalogs it names.
     */
    private StatementType classify(Statement statement)
    {
        return switch (statement) {
            case Query _ -> SELECT;
            case Insert insert -> written(insert.getTarget(), INSERT);
            case Update update -> written(update.getTable().getName(), UPDATE);
            case Delete delete -> written(delete.getTable().getName(), DELETE);
            case Merge merge -> written(merge.getTargetTable().getName(), MERGE);
            case TruncateTable truncate -> written(truncate.getTableName(), TRUNCATE);
            case CreateTable create -> written(create.getName(), CREATE_TABLE);
            case CreateTableAsSelect create -> written(create.getName(), CREATE_TABLE_AS);
            case CreateView create -> written(create.getName(), CREATE_VIEW);
            case CreateMaterializedView create -> written(create.getName(), CREATE_MATERIALIZED_VIEW);
            case RefreshMaterializedView refresh -> written(refresh.getName(), REFRESH_MATERIALIZED_VIEW);
            case DropTable drop -> written(drop.getTableName(), DROP_TABLE);
            // ANALYZE reads the data and writes the table's statistics
            case Analyze analyze -> written(analyze.getTableName(), ANALYZE);
            case TableExecute execute -> written(execute.getTable().getName(), TABLE_EXECUTE);
            case Explain explain -> {
                planOnly = true;
                classify(explain.getStatement());
                yield EXPLAIN;
            }
            case ExplainAnalyze explainAnalyze -> {
                classify(explainAnalyze.getStatement());
                yield EXPLAIN_ANALYZE;
            }
            case ExecuteImmediate _ -> {
                // only here inside EXPLAIN: the statement text is not followed
                tablesKnown = false;
                yield EXECUTE;
            }
            case Execute _ -> {
                // the prepared statement's text is not in this request's SQL
                tablesKnown = false;
                yield EXECUTE;
            }
            case Prepare _ -> PREPARE;
            case Deallocate _ -> DEALLOCATE;
            case Call call -> {
                routine(call.getName());
                yield CALL;
            }
            default -> classifySessionOrShow(statement);
        };
    }

    private StatementType classifySessionOrShow(Statement statement)
    {
        return switch (statement) {
            case Use use -> schema(QualifiedName.of(use.getCatalog()
                    .map(catalog -> List.of(catalog, use.getSchema()))
                    .orElseGet(() -> List.of(use.getSchema()))), USE);
            case SetSession _ -> SET_SESSION;
            case ResetSession _ -> RESET_SESSION;
            case SetSessionAuthorization _ -> SET_SESSION_AUTHORIZATION;
            case ResetSessionAuthorization _ -> RESET_SESSION_AUTHORIZATION;
            case SetPath _ -> SET_PATH;
            case SetTimeZone _ -> SET_TIME_ZONE;
            case SetRole _ -> SET_ROLE;
            case StartTransaction _ -> START_TRANSACTION;
            case Commit _ -> COMMIT;
            case Rollback _ -> ROLLBACK;
            case Grant _, GrantRoles _ -> GRANT;
            case Revoke _, RevokeRoles _ -> REVOKE;
            case Deny _ -> DENY;
            case ShowColumns show -> read(show.getTable(), DESCRIBE);
            case DescribeInput _, DescribeOutput _ -> DESCRIBE;
            case ShowCreate show when show.getType() == ShowCreate.Type.SCHEMA -> schema(show.getName(), SHOW);
            case ShowCreate show when show.getType() == ShowCreate.Type.FUNCTION -> SHOW;
            case ShowCreate show -> read(show.getName(), SHOW);
            case ShowTables show -> show.getSchema()
                    .map(schema -> schema(schema, SHOW))
                    .orElseGet(() -> sessionSchema(SHOW));
            case ShowSchemas show -> catalog(show.getCatalog().map(Identifier::getValue).map(name -> name.toLowerCase(ENGLISH)).or(session::catalog), SHOW);
            // SHOW STATS reads its table or query, which the walk finds
            case ShowStats _, ShowCatalogs _, ShowFunctions _, ShowGrants _, ShowRoleGrants _, ShowRoles _, ShowSession _ -> SHOW;
            default -> classifyDdl(statement);
        };
    }

    private StatementType classifyDdl(Statement statement)
    {
        return switch (statement) {
            case AddColumn alter -> written(alter.getName(), DDL);
            case DropColumn alter -> written(alter.getTable(), DDL);
            case RenameColumn alter -> written(alter.getTable(), DDL);
            case SetColumnType alter -> written(alter.getTableName(), DDL);
            case DropNotNullConstraint alter -> written(alter.getTable(), DDL);
            case SetProperties alter -> written(alter.getName(), DDL);
            case DropView drop -> written(drop.getName(), DDL);
            case DropMaterializedView drop -> written(drop.getName(), DDL);
            case RenameTable rename -> renamed(rename.getSource(), rename.getTarget());
            case RenameView rename -> renamed(rename.getSource(), rename.getTarget());
            case RenameMaterializedView rename -> renamed(rename.getSource(), rename.getTarget());
            case Comment comment when comment.getType() == Comment.Type.COLUMN -> comment.getName().getPrefix()
                    .map(table -> written(table, DDL))
                    .orElse(DDL);
            case Comment comment -> written(comment.getName(), DDL);
            case SetAuthorizationStatement authorization when authorization.getOwnedEntityKind().equals("SCHEMA") -> schema(authorization.getSource(), DDL);
            case SetAuthorizationStatement authorization -> written(authorization.getSource(), DDL);
            case CreateSchema create -> schema(create.getSchemaName(), DDL);
            case DropSchema drop -> schema(drop.getSchemaName(), DDL);
            case RenameSchema rename -> renamedSchema(rename);
            case CreateCatalog create -> catalog(Optional.of(create.getCatalogName().getValue().toLowerCase(ENGLISH)), DDL);
            case DropCatalog drop -> catalog(Optional.of(drop.getCatalogName().getValue().toLowerCase(ENGLISH)), DDL);
            case CreateFunction _, DropFunction _, CreateRole _, DropRole _ -> DDL;
            default -> UNKNOWN;
        };
    }

    private StatementType written(QualifiedName name, StatementType type)
    {
        (planOnly ? tablesRead : tablesWritten).add(table(name));
        return type;
    }

    private StatementType read(QualifiedName name, StatementType type)
    {
        tablesRead.add(table(name));
        return type;
    }

    /**
     * Trino qualifies a one-part new name with the catalog and schema of the renamed object, a
     * two-part one with its catalog.
     */
    private StatementType renamed(QualifiedName source, QualifiedName target)
    {
        written(source, DDL);
        List<String> sourceParts = session.qualify(source, TABLE_PARTS);
        List<String> targetParts = target.getParts();
        if (sourceParts.size() == TABLE_PARTS && targetParts.size() < TABLE_PARTS) {
            List<String> qualified = new ArrayList<>(sourceParts.subList(0, TABLE_PARTS - targetParts.size()));
            qualified.addAll(targetParts);
            (planOnly ? tablesRead : tablesWritten).add(SessionNames.render(qualified));
            return DDL;
        }
        return written(target, DDL);
    }

    private StatementType renamedSchema(RenameSchema rename)
    {
        schema(rename.getSource(), DDL);
        List<String> source = session.qualify(rename.getSource(), SCHEMA_PARTS);
        if (source.size() == SCHEMA_PARTS) {
            schemas.add(SessionNames.render(source.getFirst(), rename.getTarget().getValue().toLowerCase(ENGLISH)));
        }
        return DDL;
    }

    private String table(QualifiedName name)
    {
        List<String> parts = session.qualify(name, TABLE_PARTS);
        String rendered = SessionNames.render(parts);
        if (parts.size() == TABLE_PARTS) {
            catalogs.add(SessionNames.render(parts.getFirst()));
            schemas.add(SessionNames.render(parts.subList(0, SCHEMA_PARTS)));
        }
        else if (parts.size() < TABLE_PARTS) {
            unqualifiedNames.add(rendered);
        }
        return rendered;
    }

    private StatementType schema(QualifiedName name, StatementType type)
    {
        List<String> parts = session.qualify(name, SCHEMA_PARTS);
        if (parts.size() == SCHEMA_PARTS) {
            catalogs.add(SessionNames.render(parts.getFirst()));
            schemas.add(SessionNames.render(parts));
        }
        else {
            unqualifiedNames.add(SessionNames.render(parts));
        }
        return type;
    }

    private StatementType sessionSchema(StatementType type)
    {
        if (session.catalog().isPresent() && session.schema().isPresent()) {
            catalogs.add(SessionNames.render(session.catalog().orElseThrow()));
            schemas.add(SessionNames.render(session.catalog().orElseThrow(), session.schema().orElseThrow()));
        }
        return type;
    }

    private StatementType catalog(Optional<String> catalog, StatementType type)
    {
        catalog.map(SessionNames::render).ifPresent(catalogs::add);
        return type;
    }

    /**
     * A procedure or table function lives in a schema of a catalog; it is not a table.
     */
    private void routine(QualifiedName name)
    {
        List<String> parts = session.qualify(name, TABLE_PARTS);
        if (parts.size() == TABLE_PARTS) {
            catalogs.add(SessionNames.render(parts.getFirst()));
            schemas.add(SessionNames.render(parts.subList(0, SCHEMA_PARTS)));
        }
    }

    /**
     * Every table the statement reads: each {@link Table} of the syntax tree but the targets the
     * statement writes and the names of {@code WITH} queries in scope.
     */
    private final class ReadTables
            extends DefaultTraversalVisitor<Void>
    {
        private final Deque<Set<String>> withScopes = new ArrayDeque<>();

        @Override
        protected Void visitQuery(Query query, Void context)
        {
            if (query.getWith().isEmpty()) {
                return super.visitQuery(query, context);
            }
            withScopes.push(new HashSet<>());
            try {
                return super.visitQuery(query, context);
            }
            finally {
                withScopes.pop();
            }
        }

        @Override
        protected Void visitWith(With with, Void context)
        {
            Set<String> scope = withScopes.element();
            for (WithQuery withQuery : with.getQueries()) {
                // a WITH query sees the ones before it, and itself only when RECURSIVE
                String name = withQuery.getName().getValue().toLowerCase(ENGLISH);
                if (with.isRecursive()) {
                    scope.add(name);
                }
                process(withQuery.getQuery(), context);
                scope.add(name);
            }
            return null;
        }

        @Override
        protected Void visitTable(Table table, Void context)
        {
            QualifiedName name = table.getName();
            if (name.getParts().size() == 1 && withScopes.stream().anyMatch(scope -> scope.contains(name.getParts().getFirst()))) {
                return null;
            }
            tablesRead.add(table(name));
            return null;
        }

        @Override
        protected Void visitLikeClause(LikeClause like, Void context)
        {
            tablesRead.add(table(like.getTableName()));
            return null;
        }

        @Override
        protected Void visitTableFunctionInvocation(TableFunctionInvocation function, Void context)
        {
            // a one-part name is a built-in function, found by the path, not in the session's catalog
            if (function.getName().getParts().size() > 1) {
                routine(function.getName());
            }
            return super.visitTableFunctionInvocation(function, context);
        }

        @Override
        protected Void visitTableArgument(TableFunctionTableArgument argument, Void context)
        {
            return process(argument.getTable(), context);
        }

        @Override
        protected Void visitCreateMaterializedView(CreateMaterializedView create, Void context)
        {
            return process(create.getQuery(), context);
        }

        // the targets of the statements that write: recorded as written, not read

        @Override
        protected Void visitInsert(Insert insert, Void context)
        {
            return process(insert.getQuery(), context);
        }

        @Override
        protected Void visitDelete(Delete delete, Void context)
        {
            delete.getWhere().ifPresent(where -> process(where, context));
            return null;
        }

        @Override
        protected Void visitUpdate(Update update, Void context)
        {
            update.getAssignments().forEach(assignment -> process(assignment, context));
            update.getWhere().ifPresent(where -> process(where, context));
            return null;
        }

        @Override
        protected Void visitMerge(Merge merge, Void context)
        {
            process(merge.getSource(), context);
            process(merge.getPredicate(), context);
            merge.getMergeCases().forEach(mergeCase -> process(mergeCase, context));
            return null;
        }
    }
}
