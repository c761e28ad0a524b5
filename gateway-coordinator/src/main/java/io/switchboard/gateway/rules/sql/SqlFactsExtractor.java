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

import com.google.common.base.Utf8;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import io.airlift.units.DataSize;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Statement;

import java.util.Optional;

import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * Computes the {@link SqlFacts} of a statement with Trino's own SQL parser, of the Trino version
 * the clusters run. Safe to share between threads: the parser builds a new lexer and parser for
 * every statement, and each extraction collects into its own objects.
 * <p>
 * Names are qualified as Trino qualifies them for a session with the given catalog and schema:
 * {@code t} as {@code catalog.schema.t}, {@code s.t} as {@code catalog.s.t}. Where the session
 * lacks the catalog or schema a name needs, the name is kept as written (lower-cased) and listed
 * in {@link SqlFacts#unqualifiedNames()}; no default is guessed.
 */
public final class SqlFactsExtractor
{
    /**
     * Deeper nesting of parentheses is not parsed: ANTLR's prediction for nested parentheses
     * costs up to seconds of CPU (measured: 2.8 s at 500 levels, 11 s at 10,000), and real
     * statements stay far below this.
     */
    static final int MAX_NESTING = 100;

    // below this a statement parses in tens of microseconds: not worth a cache entry
    private static final int MIN_CACHED_LENGTH = 1024;
    private static final int CACHED_NAMES = 50_000;
    // a shorter statement parses faster than a pass of the lexer that would shorten it
    private static final int MIN_CUT_LENGTH = 1024;

    private final SqlParser parser = new SqlParser();
    // weighed by the names the facts hold, which bounds the memory a cached statement keeps
    private final Cache<CacheKey, SqlFacts> cache = CacheBuilder.newBuilder()
            .maximumWeight(CACHED_NAMES)
            .<CacheKey, SqlFacts>weigher((_, facts) -> 1 + facts.tablesRead().size() + facts.tablesWritten().size() + facts.catalogs().size() + facts.schemas().size() + facts.unqualifiedNames().size())
            .build();
    private final long maxStatementBytes;

    /**
     * @param maxStatementSize statements larger than this in UTF-8 are not parsed; the proxy
     * passes {@code proxy.max-statement-size}
     */
    public SqlFactsExtractor(DataSize maxStatementSize)
    {
        this.maxStatementBytes = maxStatementSize.toBytes();
    }

    /**
     * Never fails on the statement: SQL that is too large, does not parse or nests too deeply to
     * walk gives facts of type {@link StatementType#UNKNOWN} with the reason.
     */
    public SqlFacts extract(String sql, Optional<String> defaultCatalog, Optional<String> defaultSchema)
    {
        requireNonNull(sql, "sql is null");
        requireNonNull(defaultCatalog, "defaultCatalog is null");
        requireNonNull(defaultSchema, "defaultSchema is null");
        if (sql.length() < MIN_CACHED_LENGTH) {
            return parse(sql, defaultCatalog, defaultSchema);
        }
        // dashboards and scheduled jobs send the same long statements again and again
        CacheKey key = new CacheKey(Hashing.murmur3_128().hashUnencodedChars(sql), sql.length(), defaultCatalog, defaultSchema);
        SqlFacts cached = cache.getIfPresent(key);
        if (cached == null) {
            cached = parse(sql, defaultCatalog, defaultSchema);
            cache.put(key, cached);
        }
        return cached;
    }

    private record CacheKey(HashCode sql, int length, Optional<String> catalog, Optional<String> schema) {}

    private SqlFacts parse(String sql, Optional<String> defaultCatalog, Optional<String> defaultSchema)
    {
        if (isTooLarge(sql)) {
            return SqlFacts.notParsed("The statement is larger than proxy.max-statement-size (%s bytes)".formatted(maxStatementBytes));
        }
        if (ParenthesesDepth.exceeds(sql, MAX_NESTING)) {
            return SqlFacts.notParsed("The statement nests parentheses more than %s deep".formatted(MAX_NESTING));
        }
        Statement statement;
        try {
            statement = parseStatement(sql);
        }
        catch (RuntimeException e) {
            // ParsingException, and any other refusal of the parser's syntax tree builder
            return SqlFacts.notParsed(String.valueOf(e.getMessage()));
        }
        try {
            return new StatementFacts(this, new SessionNames(lowerCase(defaultCatalog), lowerCase(defaultSchema)))
                    .of(statement);
        }
        catch (StackOverflowError e) {
            // the parser guards its own recursion; this guards the walk over what it built
            return SqlFacts.notParsed("The statement is nested too deeply to analyze");
        }
    }

    private Statement parseStatement(String sql)
    {
        if (sql.length() >= MIN_CUT_LENGTH) {
            String shortened = StatementCuts.cut(sql);
            if (shortened.length() < sql.length()) {
                try {
                    return parser.createStatement(shortened);
                }
                catch (RuntimeException e) {
                    // a keyword read as the end of a select list too early (x IS DISTINCT FROM y): the statement as sent decides
                }
            }
        }
        return parser.createStatement(sql);
    }

    /**
     * For {@code EXECUTE IMMEDIATE}: the facts of the statement text it runs.
     */
    SqlFacts extract(String sql, SessionNames session)
    {
        return extract(sql, session.catalog(), session.schema());
    }

    private boolean isTooLarge(String sql)
    {
        // a char takes one to three bytes in UTF-8: count the bytes only where it decides
        if (sql.length() > maxStatementBytes) {
            return true;
        }
        if (sql.length() * 3L <= maxStatementBytes) {
            return false;
        }
        try {
            return Utf8.encodedLength(sql) > maxStatementBytes;
        }
        catch (IllegalArgumentException e) {
            // an unpaired surrogate: the body was not valid UTF-8 to begin with
            return true;
        }
    }

    private static Optional<String> lowerCase(Optional<String> name)
    {
        return name.map(value -> value.toLowerCase(ENGLISH));
    }
}
