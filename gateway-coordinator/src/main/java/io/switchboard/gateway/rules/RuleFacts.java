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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.runtime.CelVariableResolver;
import io.switchboard.gateway.rules.sql.QueryTypes;
import io.switchboard.gateway.rules.sql.SqlFacts;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;

import java.io.IOException;
import java.net.URLDecoder;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static dev.cel.common.types.SimpleType.STRING;
import static dev.cel.common.types.SimpleType.TIMESTAMP;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * The facts of one new query that rule conditions read, each computed on first use: a rule set
 * that never looks at the SQL never parses it. Absent text facts are empty strings, absent lists
 * are empty, so a condition needs no null checks.
 */
public final class RuleFacts
        implements CelVariableResolver
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Splitter COMMA = Splitter.on(',').trimResults().omitEmptyStrings();
    private static final CelType STRINGS = ListType.create(STRING);
    private static final CelType STRING_MAP = MapType.create(STRING, STRING);

    public enum Fact
    {
        USER("user", STRING, "X-Trino-User, else the user of Basic authentication, else the unverified sub claim of a Bearer JWT", RuleFacts::user),
        SOURCE("source", STRING, "X-Trino-Source", facts -> facts.input.protocolHeader("source").orElse("")),
        CLIENT_TAGS("client_tags", STRINGS, "X-Trino-Client-Tags, split at commas", facts -> facts.input.protocolHeaders("client-tags").stream().flatMap(COMMA::splitToStream).toList()),
        CLIENT_INFO("client_info", STRING, "X-Trino-Client-Info", facts -> facts.input.protocolHeader("client-info").orElse("")),
        HEADERS("headers", STRING_MAP, "every request header by its lower-case name; repeated headers joined with commas", RuleFacts::headers),
        SESSION("session", STRING_MAP, "the session properties of X-Trino-Session", RuleFacts::session),
        CATALOG("catalog", STRING, "X-Trino-Catalog", facts -> facts.input.protocolHeader("catalog").orElse("")),
        SCHEMA("schema", STRING, "X-Trino-Schema", facts -> facts.input.protocolHeader("schema").orElse("")),
        CLIENT_ADDRESS("client_address", STRING, "the address of the client's connection", facts -> facts.input.clientAddress()),
        NOW("now", TIMESTAMP, "when the gateway received the query; now.getHours('Europe/Berlin') and the like give its local time", facts -> facts.input.receivedAt()),
        SQL("sql", STRING, "the statement's text", facts -> facts.input.sql()),
        STATEMENT_TYPE("statement_type", STRING, "SELECT, INSERT, CREATE_TABLE_AS, ... or UNKNOWN when the statement does not parse", facts -> String.valueOf(facts.sqlFacts().statementType())),
        QUERY_TYPE("query_type", STRING, "trino-gateway's getQueryType(): Trino's class of the statement (Query, Insert, CreateTableAsSelect, ...), empty when it does not parse", facts -> facts.sqlFacts().trinoStatementName()),
        RESOURCE_GROUP_QUERY_TYPE("resource_group_query_type", STRING, "trino-gateway's getResourceGroupQueryType(): SELECT, EXPLAIN, DESCRIBE, INSERT, UPDATE, DELETE, ANALYZE, DATA_DEFINITION, ALTER_TABLE_EXECUTE, MERGE or UNKNOWN; empty when it does not parse", facts -> QueryTypes.resourceGroupQueryType(facts.sqlFacts().statementType())),
        TABLES_READ("tables_read", STRINGS, "catalog.schema.table of every table the statement reads", facts -> ImmutableList.copyOf(facts.sqlFacts().tablesRead())),
        TABLES_WRITTEN("tables_written", STRINGS, "catalog.schema.table of every table the statement writes", facts -> ImmutableList.copyOf(facts.sqlFacts().tablesWritten())),
        TABLES("tables", STRINGS, "every table the statement reads or writes", RuleFacts::tables),
        CATALOGS("catalogs", STRINGS, "the catalogs of those tables", facts -> ImmutableList.copyOf(facts.sqlFacts().catalogs())),
        SCHEMAS("schemas", STRINGS, "catalog.schema of those tables", facts -> ImmutableList.copyOf(facts.sqlFacts().schemas()));

        private static final Map<String, Fact> BY_NAME = Arrays.stream(values()).collect(toImmutableMap(Fact::variable, fact -> fact));

        private final String variable;
        private final CelType type;
        private final String description;
        private final Function<RuleFacts, Object> value;

        Fact(String variable, CelType type, String description, Function<RuleFacts, Object> value)
        {
            this.variable = variable;
            this.type = type;
            this.description = description;
            this.value = value;
        }

        public String variable()
        {
            return variable;
        }

        public CelType type()
        {
            return type;
        }

        public String description()
        {
            return description;
        }

        public static Optional<Fact> of(String variable)
        {
            return Optional.ofNullable(BY_NAME.get(variable));
        }
    }

    private final RuleInput input;
    private final SqlFactsExtractor extractor;
    private final Object[] values = new Object[Fact.values().length];
    private SqlFacts sqlFacts;

    public RuleFacts(RuleInput input, SqlFactsExtractor extractor)
    {
        this.input = requireNonNull(input, "input is null");
        this.extractor = requireNonNull(extractor, "extractor is null");
    }

    @Override
    public Optional<Object> find(String name)
    {
        return Fact.of(name).map(this::value);
    }

    public Object value(Fact fact)
    {
        Object value = values[fact.ordinal()];
        if (value == null) {
            value = fact.value.apply(this);
            values[fact.ordinal()] = value;
        }
        return value;
    }

    /**
     * Every fact, computing those no rule needed yet: what a dry run shows.
     */
    public Map<String, Object> all()
    {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Fact fact : Fact.values()) {
            all.put(fact.variable(), value(fact));
        }
        return all;
    }

    /**
     * Whether the statement parsed, and if not why: a dry run says it.
     */
    public Optional<String> sqlProblem()
    {
        return sqlFacts().parseError();
    }

    private SqlFacts sqlFacts()
    {
        if (sqlFacts == null) {
            sqlFacts = extractor.extract(input.sql(), input.protocolHeader("catalog"), input.protocolHeader("schema"));
        }
        return sqlFacts;
    }

    private Object tables()
    {
        return ImmutableList.builder().addAll(sqlFacts().tablesRead()).addAll(sqlFacts().tablesWritten()).build().stream().distinct().toList();
    }

    private Object user()
    {
        return input.protocolHeader("user")
                .or(() -> input.first("authorization").flatMap(RuleFacts::authorizationUser))
                .orElse("");
    }

    private static Optional<String> authorizationUser(String authorization)
    {
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = authorization.substring(0, space);
        String credentials = authorization.substring(space + 1).trim();
        try {
            if (scheme.equalsIgnoreCase("Basic")) {
                String decoded = new String(Base64.getDecoder().decode(credentials), UTF_8);
                int colon = decoded.indexOf(':');
                return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
            }
            if (scheme.equalsIgnoreCase("Bearer")) {
                List<String> parts = Splitter.on('.').splitToList(credentials);
                if (parts.size() != 3) {
                    return Optional.empty();
                }
                JsonNode subject = JSON.readTree(Base64.getUrlDecoder().decode(parts.get(1))).path("sub");
                return subject.isTextual() ? Optional.of(subject.asText()) : Optional.empty();
            }
        }
        catch (IllegalArgumentException | IOException _) {
            // not credentials the gateway can read: the cluster answers them
        }
        return Optional.empty();
    }

    private Object headers()
    {
        ImmutableMap.Builder<String, String> headers = ImmutableMap.builder();
        input.headers().asMap().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return headers.buildKeepingLast();
    }

    private Object session()
    {
        Map<String, String> session = new LinkedHashMap<>();
        for (String header : input.protocolHeaders("session")) {
            for (String property : COMMA.split(header)) {
                int equals = property.indexOf('=');
                if (equals > 0) {
                    session.put(property.substring(0, equals).trim(), decode(property.substring(equals + 1).trim()));
                }
            }
        }
        return ImmutableMap.copyOf(session);
    }

    private static String decode(String value)
    {
        try {
            return URLDecoder.decode(value, UTF_8);
        }
        catch (IllegalArgumentException _) {
            return value;
        }
    }
}
