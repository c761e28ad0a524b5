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
import io.trino.sql.tree.QualifiedName;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * The session's catalog and schema (lower-cased), and how they qualify a name of the SQL text.
 */
public record SessionNames(Optional<String> catalog, Optional<String> schema)
{
    public SessionNames
    {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
    }

    /**
     * The name with as many leading parts of the session's catalog and schema as it lacks to have
     * {@code length} parts (3 for a table, 2 for a schema); the name alone where the session lacks one
     * of them. Parts are lower-cased like Trino's {@link QualifiedName#getParts()}.
     */
    List<String> qualify(QualifiedName name, int length)
    {
        List<String> parts = name.getParts();
        int missing = length - parts.size();
        if (missing <= 0) {
            return parts;
        }
        List<Optional<String>> defaults = List.of(catalog, schema).subList(0, missing);
        if (defaults.stream().anyMatch(Optional::isEmpty)) {
            return parts;
        }
        return ImmutableList.<String>builder()
                .addAll(defaults.stream().map(Optional::orElseThrow).iterator())
                .addAll(parts)
                .build();
    }

    /**
     * Parts joined by dots; a part holding a dot or a double quote is quoted, SQL style.
     */
    public static String render(List<String> parts)
    {
        return parts.stream()
                .map(SessionNames::renderPart)
                .collect(joining("."));
    }

    static String render(String... parts)
    {
        return render(Stream.of(parts).toList());
    }

    private static String renderPart(String part)
    {
        if (part.indexOf('.') < 0 && part.indexOf('"') < 0) {
            return part;
        }
        return '"' + part.replace("\"", "\"\"") + '"';
    }
}
