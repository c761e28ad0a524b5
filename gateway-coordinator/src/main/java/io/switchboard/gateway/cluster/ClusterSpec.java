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
package io.switchboard.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.collect.ImmutableSet;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.ClusterRecord;
import io.switchboard.store.cluster.DesiredState;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Locale.ENGLISH;

/**
 * A cluster as operators describe it through the API. Missing optional fields take defaults:
 * externalUrl = proxyUrl, active = true, weight = 1.
 */
public record ClusterSpec(
        String name,
        String proxyUrl,
        String externalUrl,
        String routingGroup,
        Boolean active,
        Integer weight,
        String kind)
{
    public static final String SHAPE = "{\"name\", \"proxyUrl\", \"externalUrl\", \"routingGroup\", \"active\", \"weight\", \"kind\"}";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    // the length of the clusters table's URL columns
    private static final int MAX_URL_LENGTH = 1024;
    // cloud instance metadata services that are not in the link-local ranges
    private static final Set<String> METADATA_HOSTS = ImmutableSet.of("metadata.google.internal", "metadata.goog", "metadata", "100.100.100.200", "fd00:ec2::254");

    @JsonCreator
    public ClusterSpec(
            @JsonProperty("name") String name,
            @JsonProperty("proxyUrl") String proxyUrl,
            @JsonProperty("externalUrl") String externalUrl,
            @JsonProperty("routingGroup") String routingGroup,
            @JsonProperty("active") Boolean active,
            @JsonProperty("weight") Integer weight,
            @JsonProperty("kind") String kind)
    {
        this.name = name;
        this.proxyUrl = proxyUrl;
        this.externalUrl = externalUrl;
        this.routingGroup = routingGroup;
        this.active = active;
        this.weight = weight;
        this.kind = kind;
    }

    /**
     * Validates the spec and turns it into a row; throws {@link IllegalArgumentException} with a
     * message for the operator when anything is wrong.
     *
     * @param allowLinkLocal whether the gateway may call a cluster at a link-local or cloud
     * metadata address ({@code clusters.allow-link-local-addresses})
     */
    public ClusterRecord toRecord(DesiredState desiredState, boolean allowLinkLocal)
    {
        return toRecord(desiredState, ClusterKind.TRINO, allowLinkLocal);
    }

    /**
     * @param defaultKind the kind when the spec names none: a new cluster is Trino, an updated one keeps its kind
     */
    public ClusterRecord toRecord(DesiredState desiredState, ClusterKind defaultKind, boolean allowLinkLocal)
    {
        checkName("name", name);
        checkName("routingGroup", routingGroup);
        String proxy = checkUrl("proxyUrl", proxyUrl);
        if (!allowLinkLocal && isLinkLocalOrMetadata(URI.create(proxy).getHost())) {
            throw new IllegalArgumentException("proxyUrl points at a link-local or cloud metadata address, which the gateway does not call: '" + proxy +
                    "'. If a cluster really runs there, set clusters.allow-link-local-addresses=true");
        }
        String external = externalUrl == null ? proxy : checkUrl("externalUrl", externalUrl);
        int actualWeight = Optional.ofNullable(weight).orElse(1);
        if (actualWeight < 1 || actualWeight > 1000) {
            throw new IllegalArgumentException("weight must be between 1 and 1000, was " + actualWeight);
        }
        ClusterKind actualKind = kind == null ? defaultKind : ClusterKind.fromId(kind);
        return new ClusterRecord(name, proxy, external, routingGroup, Optional.ofNullable(active).orElse(true), desiredState, actualWeight, actualKind);
    }

    private static void checkName(String field, String value)
    {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-128 letters, digits, '_', '.' or '-' starting with a letter or digit, was '" + value + "'");
        }
    }

    static String checkUrl(String field, String value)
    {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_URL_LENGTH + " characters, was " + value.length());
        }
        URI uri;
        try {
            uri = new URI(value);
        }
        catch (Exception e) {
            throw new IllegalArgumentException(field + " is not a valid URL: '" + value + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(field + " must be an http:// or https:// URL, was '" + value + "'");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(field + " must be scheme://host[:port][/path] without credentials, query or fragment, was '" + value + "'");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException(field + " has a port out of range (1-65535): '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    static boolean isLinkLocalOrMetadata(String host)
    {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (METADATA_HOSTS.contains(bare.toLowerCase(ENGLISH))) {
            return true;
        }
        try {
            InetAddress address = InetAddress.ofLiteral(bare);
            return address.isLinkLocalAddress() || METADATA_HOSTS.contains(address.getHostAddress());
        }
        catch (IllegalArgumentException e) {
            // a host name: the proxy's resolver refuses it if it resolves to such an address
            return false;
        }
    }
}
