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
package io.switchboard.gateway;

import java.net.URLEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Generates requests to the gateway's native and presto-gateway compatible APIs, and paths
 * around them: well-formed ones with bad values, malformed JSON, odd content types, origins,
 * headers and paths. Deterministic for a seed, so that a failure can be replayed.
 * <p>
 * It never names the clusters the test routes through, so that whatever the gateway accepts
 * leaves them as they are.
 */
final class ApiFuzzer
{
    record Fuzzed(String method, String target, Map<String, String> headers, byte[] body)
    {
        @Override
        public String toString()
        {
            String text = body == null ? "" : new String(body, UTF_8);
            return method + " " + target + " " + headers + " " + (text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + ")" : text);
        }
    }

    private static final List<String> NAMES = List.of("fuzz-1", "fuzz-2", "Fuzz-1", "FUZZ-2", "fuzz.3", "", " ", "a b", "..", "-x", "\u00e9t\u00e9", "x".repeat(129), "<b>", "fuzz-1'--");
    private static final List<String> GROUPS = List.of("fuzz", "fuzz-b", "", "a b", "x".repeat(200));
    private static final List<String> URLS = List.of(
            "http://127.0.0.1:9", "https://127.0.0.1:9/trino", "http://127.0.0.1:70000", "http://127.0.0.1:0", "http://169.254.169.254", "http://[fe80::1]:8080",
            "http://metadata.google.internal", "ftp://127.0.0.1", "file:///etc/passwd", "http://user:secret@127.0.0.1:9", "http://127.0.0.1:9?x=1", "not a url", "",
            "http://", "http://127.0.0.1:9/" + "p".repeat(1_100), "http://[::1]:9", "http://2852039166", "javascript:alert(1)");
    private static final List<String> ACTIVES = List.of("true", "false", "\"yes\"", "1", "null", "\"true\"", "[]");
    private static final List<String> WEIGHTS = List.of("1", "0", "-1", "1.5", "1001", "\"2\"", "null", "2147483648", "1e2", "{}");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "a/b/c", "application/jsonx", "*/*", "");
    private static final List<String> ORIGINS = List.of("http://evil.example", "null", "http://127.0.0.1:1", "file://");
    private static final List<String> FETCH_SITES = List.of("cross-site", "same-site", "same-origin", "none", "bogus");
    private static final List<String> ODD_PATHS = List.of(
            "/", "//", "/%", "/%zz", "/api", "/api/v1", "/api/v1/clusters/", "/api/v1/clusters/%2e%2e", "/api/v1/../v1/node", "/api/v1/clusters/..%2f..%2fv1%2fnode",
            "/cluster/", "/cluster/fuzz-1/v1/statement/executing/20260101_000000_00001_abcde/y/1", "/cluster/hard-1/v1/node", "/cluster/hard-1/v1/task/x",
            "/cluster/hard-1/..;/v1/jmx", "/v1/jmx/mbean", "/v1/node", "/v1/thread", "/console/x", "/console/../api/v1/clusters", "/ui/..%2f..%2fapi",
            "/v1/statement/executing/..%2f", "/v1/query/BAD ID", "/api/v1/queries/%00", "/entity/%ff", "/;jsessionid=1",
            "/oauth2/token/initiate/..%2f..%2fv1%2fnode", "/oauth2/token/not-a-uuid", "/oauth2/callback?state=a.%25zz.c&code=1", "/oauth2/callback?state=e30.e30.e30",
            "/oauth2/callback?state=" + "x.".repeat(5_000));

    private final Random random;

    ApiFuzzer(Random random)
    {
        this.random = requireNonNull(random, "random is null");
    }

    Fuzzed next()
    {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = pick(CONTENT_TYPES);
        if (!contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
        if (chance(10)) {
            headers.put("Origin", pick(ORIGINS));
        }
        if (chance(10)) {
            headers.put("Sec-Fetch-Site", pick(FETCH_SITES));
        }
        if (chance(10)) {
            headers.put(pick(List.of("Forwarded", "X-Real-IP", "X-Forwarded-Host", "X-Requested-With", "Authorization", "X-Trino-User", "Accept")), oddHeaderValue());
        }
        return switch (random.nextInt(14)) {
            case 0 -> new Fuzzed("POST", "/api/v1/clusters", headers, clusterBody());
            case 1 -> new Fuzzed(pick(List.of("PUT", "GET", "DELETE", "PATCH")), "/api/v1/clusters/" + pathName(), headers, clusterBody());
            case 2 -> new Fuzzed(pick(List.of("POST", "GET")), "/api/v1/clusters/" + pathName() + "/" + pick(List.of("drain", "activate", "health", "x")), headers, maybeBody());
            case 3 -> new Fuzzed("POST", "/api/v1/routing-groups/" + pick(List.of("empty-group", "", "a b")) + "/rolling-restart" + query("drainTimeout", "restartTimeout", "force"), headers, rolloutBody());
            case 4 -> new Fuzzed("GET", "/api/v1/queries" + query("user", "state", "from", "to", "limit", "after", "text", "cluster"), headers, null);
            case 5 -> new Fuzzed("GET", "/api/v1/" + pick(List.of("queries/distribution", "audit", "queries/" + pathName())) + query("from", "to", "limit", "target"), headers, null);
            case 6 -> new Fuzzed("POST", "/entity" + query("entityType"), headers, backendBody());
            case 7 -> new Fuzzed("GET", "/entity/" + pick(List.of("GATEWAY_BACKEND", "RESOURCE_GROUP", "", "%ff")), headers, null);
            case 8 -> new Fuzzed("POST", "/gateway/backend/" + pick(List.of("activate/", "deactivate/")) + pathName(), headers, maybeBody());
            case 9 -> new Fuzzed("POST", "/gateway/backend/modify/" + pick(List.of("add", "update")), headers, backendBody());
            case 10 -> new Fuzzed("POST", "/gateway/backend/modify/delete", headers, chance(50) ? pick(NAMES).getBytes(UTF_8) : maybeBody());
            case 11 -> new Fuzzed("GET", pick(List.of("/gateway/backend/all", "/gateway/backend/active", "/api/public/backends", "/api/public/backends/" + pathName(), "/console")), headers, null);
            case 12 -> new Fuzzed(pick(List.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "TRACE")), pick(ODD_PATHS), headers, maybeBody());
            default -> new Fuzzed(pick(List.of("POST", "PUT")), pick(List.of("/api/v1/clusters", "/gateway/backend/modify/add")), headers, malformed());
        };
    }

    private byte[] clusterBody()
    {
        return object(Map.of("name", quoted(pick(NAMES)), "proxyUrl", quoted(pick(URLS)), "externalUrl", quoted(pick(URLS)),
                "routingGroup", quoted(pick(GROUPS)), "active", pick(ACTIVES), "weight", pick(WEIGHTS)));
    }

    private byte[] backendBody()
    {
        return object(Map.of("name", quoted(pick(NAMES)), "proxyTo", quoted(pick(URLS)), "externalUrl", quoted(pick(URLS)),
                "routingGroup", quoted(pick(GROUPS)), "active", pick(ACTIVES)));
    }

    private byte[] rolloutBody()
    {
        return chance(30) ? null : object(Map.of("drainTimeout", quoted(pick(List.of("30m", "0s", "-1m", "x", "9999999d"))), "restartTimeout", quoted(pick(List.of("10m", "", "1"))),
                "force", pick(ACTIVES)));
    }

    /**
     * A JSON object with a random subset of the fields, sometimes one more or one twice.
     */
    private byte[] object(Map<String, String> fields)
    {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (chance(85)) {
                json.append(json.length() > 1 ? ", " : "").append('"').append(name).append("\": ").append(value);
            }
        });
        if (chance(8)) {
            json.append(json.length() > 1 ? ", " : "").append("\"unknown\": 1");
        }
        if (chance(8)) {
            json.append(json.length() > 1 ? ", " : "").append("\"name\": \"fuzz-dup\"");
        }
        json.append('}');
        byte[] body = json.toString().getBytes(UTF_8);
        return chance(15) ? mutate(body) : body;
    }

    private byte[] malformed()
    {
        return switch (random.nextInt(7)) {
            case 0 -> "{\"a\":".repeat(1 + random.nextInt(5_000)).getBytes(UTF_8);
            case 1 -> ("[".repeat(1 + random.nextInt(5_000)) + "]".repeat(random.nextInt(3))).getBytes(UTF_8);
            case 2 -> randomBytes(random.nextInt(200));
            case 3 -> ("{\"name\": \"" + "n".repeat(70_000) + "\"}").getBytes(UTF_8);
            case 4 -> "{\"name\": \"fuzz-1\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"fuzz\"} trailing".getBytes(UTF_8);
            case 5 -> "\uFEFF{\"name\": \"fuzz-1\"}".getBytes(UTF_8);
            default -> mutate(clusterBody());
        };
    }

    private byte[] mutate(byte[] body)
    {
        if (body.length == 0) {
            return body;
        }
        byte[] mutated = body.clone();
        int position = random.nextInt(mutated.length);
        return switch (random.nextInt(3)) {
            case 0 -> java.util.Arrays.copyOf(mutated, position);
            case 1 -> {
                mutated[position] = (byte) random.nextInt(256);
                yield mutated;
            }
            default -> {
                mutated[position] = (byte) "{}[]\",:\\".charAt(random.nextInt(8));
                yield mutated;
            }
        };
    }

    private byte[] maybeBody()
    {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> "x=1".getBytes(UTF_8);
            default -> clusterBody();
        };
    }

    private String query(String... names)
    {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            if (chance(40)) {
                String value = pick(List.of("abc", "-1", "0", "1", "100", "99999999999", "1e3", "", "2026-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59Z", "GATEWAY_BACKEND", "FAILED", "%", "%27%20OR%201%3D1", "true", "30m"));
                query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(value.equals("%") ? value : URLEncoder.encode(value, UTF_8));
            }
        }
        return query.toString();
    }

    private String pathName()
    {
        String name = pick(NAMES);
        return chance(70) ? URLEncoder.encode(name, UTF_8).replace("+", "%20") : name.replace(" ", "%20");
    }

    private String oddHeaderValue()
    {
        return switch (random.nextInt(4)) {
            case 0 -> "v".repeat(random.nextInt(2_000));
            case 1 -> "for=6.6.6.6;host=spoofed.example;proto=https";
            case 2 -> "Basic " + "!".repeat(random.nextInt(10));
            default -> "\u0001\t" + random.nextInt();
        };
    }

    private static String quoted(String value)
    {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private byte[] randomBytes(int length)
    {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private <T> T pick(List<T> values)
    {
        return values.get(random.nextInt(values.size()));
    }

    private boolean chance(int percent)
    {
        return random.nextInt(100) < percent;
    }
}
