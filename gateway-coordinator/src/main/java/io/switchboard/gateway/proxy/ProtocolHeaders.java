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
package io.switchboard.gateway.proxy;

import io.switchboard.store.cluster.ClusterKind;
import org.eclipse.jetty.http.HttpFields;

import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The names of the client protocol headers the proxy reads or writes, in each engine's spelling:
 * Trino's {@code X-Trino-*}, PrestoDB's {@code X-Presto-*}.
 */
enum ProtocolHeaders
{
    TRINO("X-Trino-"),
    PRESTODB("X-Presto-");

    private final String user;
    private final String source;
    private final String routingGroup;
    private final String transactionId;
    private final String startedTransactionId;
    private final String clearTransactionId;
    private final String extraCredential;
    private final String clientTags;
    private final String session;

    ProtocolHeaders(String prefix)
    {
        requireNonNull(prefix, "prefix is null");
        this.user = prefix + "User";
        this.source = prefix + "Source";
        this.routingGroup = prefix + "Routing-Group";
        this.transactionId = prefix + "Transaction-Id";
        this.startedTransactionId = prefix + "Started-Transaction-Id";
        this.clearTransactionId = prefix + "Clear-Transaction-Id";
        this.extraCredential = prefix + "Extra-Credential";
        this.clientTags = prefix + "Client-Tags";
        this.session = prefix + "Session";
    }

    /**
     * The headers a cluster of this kind reads and answers with.
     */
    static ProtocolHeaders of(ClusterKind kind)
    {
        return switch (kind) {
            case TRINO -> TRINO;
            case PRESTODB -> PRESTODB;
        };
    }

    /**
     * A request header in either spelling, Trino's first, whatever engine the client speaks: a
     * Trino client may still name its group with presto-gateway's {@code X-Presto-Routing-Group}.
     */
    static Optional<String> either(HttpFields headers, Function<ProtocolHeaders, String> name)
    {
        return Optional.ofNullable(headers.get(name.apply(TRINO))).or(() -> Optional.ofNullable(headers.get(name.apply(PRESTODB))));
    }

    String user()
    {
        return user;
    }

    String source()
    {
        return source;
    }

    String routingGroup()
    {
        return routingGroup;
    }

    String transactionId()
    {
        return transactionId;
    }

    String startedTransactionId()
    {
        return startedTransactionId;
    }

    String clearTransactionId()
    {
        return clearTransactionId;
    }

    String extraCredential()
    {
        return extraCredential;
    }

    String clientTags()
    {
        return clientTags;
    }

    String session()
    {
        return session;
    }
}
