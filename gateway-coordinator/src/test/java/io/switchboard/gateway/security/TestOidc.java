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
package io.switchboard.gateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import io.switchboard.gateway.TestingChromium;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.LoggedMessages;
import io.switchboard.testing.TestingMysql;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.switchboard.gateway.TestingGateway.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * OpenID Connect against a real provider running in the test (mock-oauth2-server: discovery,
 * JWKS, authorization and token endpoints with PKCE): the console's single sign-on in headless
 * Chromium, bearer tokens on the API, roles from the groups claim, and the tokens refused.
 * The gateway also keeps its password file, which must go on working beside the provider.
 */
@TestInstance(PER_CLASS)
final class TestOidc
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ISSUER_ID = "switchboard";
    private static final String CLIENT_ID = "switchboard-gateway";
    private static final String CLIENT_SECRET = "client-secret-that-must-never-be-logged";
    private static final String SESSION_SECRET = "session-secret-that-must-never-be-logged-either";
    private static final String CLUSTER = "oidc-cluster";

    private LoggedMessages logs;
    private MockOAuth2Server provider;
    private URI providerUri;
    private Path passwordFile;
    private TestingMysql mysql;
    private TestingGateway gateway;
    private TestingChromium chromium;
    private ChromeDriver browser;
    private final List<String> tokensIssued = new ArrayList<>();

    @BeforeAll
    void start()
            throws IOException
    {
        // from before the gateway starts: its configuration is logged then
        logs = LoggedMessages.ofEveryLogger();
        int providerPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            providerPort = socket.getLocalPort();
        }
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), providerPort);
        providerUri = URI.create("http://127.0.0.1:" + providerPort + "/");
        passwordFile = Files.createTempFile("switchboard-passwords", ".txt");
        Files.writeString(passwordFile, "paula:%s:admin\n".formatted(BCrypt.withDefaults().hashToString(6, "paula-secret".toCharArray())));
        mysql = TestingMysql.start();
        gateway = new TestingGateway(mysql, Map.of(
                "security.password-file", passwordFile.toString(),
                "security.oidc.issuer", issuer(ISSUER_ID),
                "security.oidc.client-id", CLIENT_ID,
                "security.oidc.client-secret", CLIENT_SECRET,
                "security.oidc.session-secret", SESSION_SECRET,
                "security.oidc.principal-claim", "preferred_username",
                "security.oidc.roles-claim", "groups",
                "security.oidc.admin-values", "switchboard-admins",
                "security.oidc.viewer-values", "switchboard-viewers"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpResponse<String> added = gateway.send("POST", "/api/v1/clusters", """
                {"name": "%s", "proxyUrl": "http://127.0.0.1:%s", "routingGroup": "adhoc"}
                """.formatted(CLUSTER, closedPort), Optional.of("paula:paula-secret"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

        chromium = TestingChromium.start();
        browser = chromium.browser();
    }

    @AfterAll
    void stop()
            throws IOException
    {
        try {
            if (chromium != null) {
                chromium.close();
            }
        }
        finally {
            try (TestingMysql closedLast = mysql; TestingGateway closedFirst = gateway) {
                if (provider != null) {
                    provider.shutdown();
                }
                if (passwordFile != null) {
                    Files.deleteIfExists(passwordFile);
                }
                if (logs != null) {
                    logs.close();
                }
            }
        }
    }

    @Test
    void consoleSignsInWithTheProviderViewersReadAdminsDrain()
    {
        browser.get(gateway.baseUri().resolve("/console").toString());
        await(_ -> browser.findElement(By.id("sso-sign-in")).isDisplayed());
        // the password file goes on working beside the provider: its form stays
        assertThat(browser.findElement(By.id("password")).isDisplayed()).isTrue();

        // the provider signs victor in with the viewers' group
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "victor", JOSEObjectType.JWT.getType(), List.of(CLIENT_ID),
                Map.of("preferred_username", "victor", "groups", List.of("switchboard-viewers")), 3600));
        browser.findElement(By.id("sso-sign-in")).click();
        await(_ -> visibleText("signed-in").equals("signed in as victor") && "adhoc".equals(clusterCell(1)));
        assertThat(browser.getCurrentUrl()).isEqualTo(gateway.baseUri().resolve("/console").toString());
        assertThat(browser.findElement(By.id("add-cluster-open")).isDisplayed()).isFalse();
        assertThat(visibleText("read-only")).isEqualTo("Read only: User victor may read but not change the gateway's configuration: the admin role is needed");
        // the session is an HttpOnly cookie: the page's scripts cannot read it
        assertThat((String) browser.executeScript("return document.cookie;")).doesNotContain(OidcCookies.SESSION_COOKIE);
        // a write with the viewer's session is refused, whatever the page shows
        assertThat(fetchInBrowser("POST", "/api/v1/clusters/" + CLUSTER + "/drain")).startsWith("403 ").contains("the admin role is needed");

        browser.findElement(By.id("sign-out")).click();
        await(_ -> browser.findElement(By.id("sign-in")).isDisplayed());
        assertThat(fetchInBrowser("GET", "/api/v1/session")).startsWith("401 ");

        // alice comes with the admins' group, and drains the cluster from the console
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "alice", JOSEObjectType.JWT.getType(), List.of(CLIENT_ID),
                Map.of("preferred_username", "alice", "groups", List.of("switchboard-viewers", "switchboard-admins")), 3600));
        browser.findElement(By.id("sso-sign-in")).click();
        await(_ -> visibleText("signed-in").equals("signed in as alice"));
        clickDrain();
        await(_ -> "draining".equals(clusterCell(8)));
        JsonNode audit = json(gateway.send("GET", "/api/v1/audit?target=" + CLUSTER, null, Optional.of("paula:paula-secret")).body());
        assertThat(audit.findValuesAsText("actor")).contains("alice");
        assertThat(gateway.send("POST", "/api/v1/clusters/" + CLUSTER + "/activate", "", Optional.of("paula:paula-secret")).statusCode()).isEqualTo(200);

        // a user the provider knows but who is in neither group gets no session
        browser.findElement(By.id("sign-out")).click();
        await(_ -> browser.findElement(By.id("sign-in")).isDisplayed());
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "mallory", JOSEObjectType.JWT.getType(), List.of(CLIENT_ID),
                Map.of("preferred_username", "mallory", "groups", List.of("finance")), 3600));
        browser.findElement(By.id("sso-sign-in")).click();
        await(_ -> browser.findElement(By.tagName("body")).getText().contains("User mallory has no role in the gateway"));
        assertThat(fetchInBrowser("GET", "/api/v1/session")).startsWith("401 ");

        assertNothingSecretLogged();
    }

    @Test
    void signInFlowOverHttpChecksStateAndSetsAGuardedCookie()
    {
        HttpResponse<String> login = get(gateway.baseUri().resolve("/console/oidc/login"), Optional.empty(), Map.of());
        assertThat(login.statusCode()).isEqualTo(303);
        URI authorization = URI.create(login.headers().firstValue("Location").orElseThrow());
        assertThat(authorization.toString()).startsWith(issuer(ISSUER_ID) + "/authorize?");
        Map<String, String> parameters = query(authorization);
        assertThat(parameters).containsEntry("response_type", "code")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", gateway.baseUri().resolve("/console/oidc/callback").toString())
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(parameters.get("scope").split(" ")).contains("openid", "profile", "email");
        String loginCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(loginCookie).startsWith(OidcCookies.LOGIN_COOKIE + "=").contains("; Path=/console/oidc;", "; HttpOnly", "; SameSite=Lax").doesNotContain("Secure")
                // encrypted: neither the state nor the PKCE verifier can be read from it
                .doesNotContain(parameters.get("state"));
        String loginCookieValue = loginCookie.substring(0, loginCookie.indexOf(';'));

        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "victor", JOSEObjectType.JWT.getType(), List.of(CLIENT_ID),
                Map.of("preferred_username", "victor", "groups", List.of("switchboard-viewers")), 3600));
        HttpResponse<String> authorized = get(authorization, Optional.empty(), Map.of());
        assertThat(authorized.statusCode()).isEqualTo(302);
        URI callback = URI.create(authorized.headers().firstValue("Location").orElseThrow());

        // the answer to another browser's sign-in, or a forged one, is refused
        HttpResponse<String> noCookie = get(callback, Optional.empty(), Map.of());
        assertThat(noCookie.statusCode()).isEqualTo(401);
        assertThat(noCookie.body()).startsWith("This sign-in was started more than 10 minutes ago or in another browser");
        URI otherState = URI.create(callback.toString().replace("state=" + parameters.get("state"), "state=forged"));
        HttpResponse<String> wrongState = get(otherState, Optional.of(loginCookieValue), Map.of());
        assertThat(wrongState.statusCode()).isEqualTo(401);
        assertThat(wrongState.body()).startsWith("The sign-in's state does not match the one this browser started");

        HttpResponse<String> signedIn = get(callback, Optional.of(loginCookieValue), Map.of());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains(gateway.baseUri().resolve("/console").toString());
        String sessionCookie = signedIn.headers().allValues("Set-Cookie").stream().filter(cookie -> cookie.startsWith(OidcCookies.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(sessionCookie).contains("; Path=/api/;", "; Max-Age=3600;", "; HttpOnly", "; SameSite=Lax").doesNotContain("Secure");
        assertThat(signedIn.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith(OidcCookies.LOGIN_COOKIE + "=;") && cookie.contains("Max-Age=0"));
        String session = sessionCookie.substring(0, sessionCookie.indexOf(';'));

        HttpResponse<String> who = get(gateway.baseUri().resolve("/api/v1/session"), Optional.of(session), Map.of());
        assertThat(who.statusCode()).isEqualTo(200);
        assertThat(json(who.body()).get("user").asText()).isEqualTo("victor");
        assertThat(json(who.body()).get("signedInWith").asText()).isEqualTo("single-sign-on");
        int middle = session.length() / 2;
        String tampered = session.substring(0, middle) + (session.charAt(middle) == 'A' ? 'B' : 'A') + session.substring(middle + 1);
        HttpResponse<String> forged = get(gateway.baseUri().resolve("/api/v1/session"), Optional.of(tampered), Map.of());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(json(forged.body()).get("error").asText()).isEqualTo("The console's sign-in expired or is no longer valid: sign in again");

        // behind a proxy that terminates TLS, the cookies are only for HTTPS
        HttpResponse<String> overTls = get(gateway.baseUri().resolve("/console/oidc/login"), Optional.empty(), Map.of("X-Forwarded-Proto", "https"));
        assertThat(overTls.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
        assertNothingSecretLogged();
    }

    @Test
    void bearerTokensOfTheProviderViewersReadAdminsWrite()
    {
        String viewer = token("victor", List.of(CLIENT_ID), List.of("switchboard-viewers"), 3600);
        HttpResponse<String> session = bearer("GET", "/api/v1/session", viewer);
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        assertThat(json(session.body()).get("user").asText()).isEqualTo("victor");
        assertThat(json(session.body()).get("role").asText()).isEqualTo("viewer");
        assertThat(json(session.body()).get("signedInWith").asText()).isEqualTo("bearer-token");
        HttpResponse<String> clusters = bearer("GET", "/api/v1/clusters", viewer);
        assertThat(clusters.statusCode()).isEqualTo(200);
        assertThat(json(clusters.body()).findValuesAsText("name")).contains(CLUSTER);
        HttpResponse<String> refused = bearer("POST", "/api/v1/clusters/" + CLUSTER + "/drain", viewer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused.body()).get("error").asText()).isEqualTo("User victor may read but not change the gateway's configuration: the admin role is needed");

        String admin = token("alice", List.of(CLIENT_ID), List.of("switchboard-admins"), 3600);
        HttpResponse<String> drained = bearer("POST", "/api/v1/clusters/" + CLUSTER + "/drain", admin);
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        assertThat(bearer("POST", "/api/v1/clusters/" + CLUSTER + "/activate", admin).statusCode()).isEqualTo(200);

        // the password file's users are served as before
        assertThat(gateway.send("GET", "/api/v1/clusters", null, Optional.of("paula:paula-secret")).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/api/v1/clusters", null, Optional.of("paula:wrong")).statusCode()).isEqualTo(401);

        HttpResponse<String> noRole = bearer("GET", "/api/v1/clusters", token("mallory", List.of(CLIENT_ID), List.of("finance"), 3600));
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(json(noRole.body()).get("error").asText()).isEqualTo("User mallory has no role in the gateway: claim groups holds none of [switchboard-viewers, switchboard-admins]");
        assertNothingSecretLogged();
    }

    @Test
    void expiredTamperedForeignAndMisaddressedTokensAreRefused()
    {
        String issuer = issuer(ISSUER_ID);

        String expired = token("alice", List.of(CLIENT_ID), List.of("switchboard-admins"), -300);
        assertRefused(expired, "The bearer token expired at ");

        // the signature of a valid token, changed
        String valid = token("alice", List.of(CLIENT_ID), List.of("switchboard-admins"), 3600);
        int signature = valid.lastIndexOf('.') + 1;
        char changed = valid.charAt(signature + 10) == 'A' ? 'B' : 'A';
        String tamperedSignature = valid.substring(0, signature + 10) + changed + valid.substring(signature + 11);
        assertRefused(tamperedSignature, "The bearer token's signature does not verify with the keys of " + issuer);

        // a viewer's claims made an admin's, under the viewer's signature
        String viewer = token("victor", List.of(CLIENT_ID), List.of("switchboard-viewers"), 3600);
        String[] parts = viewer.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8).replace("switchboard-viewers", "switchboard-admins");
        String tamperedClaims = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(UTF_8)) + "." + parts[2];
        assertRefused(tamperedClaims, "The bearer token's signature does not verify with the keys of " + issuer);

        String foreign = token("elsewhere", "alice", List.of(CLIENT_ID), List.of("switchboard-admins"), 3600);
        assertRefused(foreign, "The bearer token was issued by " + issuer("elsewhere") + ", not by " + issuer);

        String misaddressed = token("alice", List.of("another-application"), List.of("switchboard-admins"), 3600);
        assertRefused(misaddressed, "The bearer token is for audience [another-application], not for " + CLIENT_ID + " (security.oidc.audience)");

        assertRefused("not-a-jwt", "The bearer token is not a signed JWT");
        assertNothingSecretLogged();
    }

    @Test
    void whileTheProviderIsDownPasswordUsersAreServedAndTheOthersToldWhy()
            throws IOException
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/realms/down";
        try (TestingGateway degraded = new TestingGateway(mysql, Map.of(
                "security.password-file", passwordFile.toString(),
                "security.oidc.issuer", unreachable,
                "security.oidc.client-id", CLIENT_ID))) {
            assertThat(degraded.send("GET", "/api/v1/clusters", null, Optional.of("paula:paula-secret")).statusCode()).isEqualTo(200);

            HttpResponse<String> bearer = TestingGateway.send(HttpRequest.newBuilder(degraded.baseUri().resolve("/api/v1/clusters"))
                    .header("Authorization", "Bearer " + token("victor", List.of(CLIENT_ID), List.of("switchboard-viewers"), 3600))
                    .build());
            assertThat(bearer.statusCode()).isEqualTo(401);
            // the token names another issuer than this gateway's: refused without asking anyone
            assertThat(json(bearer.body()).get("error").asText()).isEqualTo("The bearer token was issued by " + issuer(ISSUER_ID) + ", not by " + unreachable);

            HttpResponse<String> signIn = get(degraded.baseUri().resolve("/console/oidc/login"), Optional.empty(), Map.of());
            assertThat(signIn.statusCode()).isEqualTo(503);
            assertThat(signIn.body()).startsWith("Cannot read the OpenID Connect provider's configuration from " + unreachable + "/.well-known/openid-configuration");
        }
    }

    private void assertRefused(String token, String message)
    {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> response = bearer(method, method.equals("GET") ? "/api/v1/clusters" : "/api/v1/clusters/" + CLUSTER + "/drain", token);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(json(response.body()).get("error").asText()).startsWith(message);
            assertThat(response.body()).doesNotContain(token).doesNotContain(CLIENT_SECRET);
            assertThat(response.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"Switchboard\", error=\"invalid_token\"");
        }
    }

    private void assertNothingSecretLogged()
    {
        List<String> logged = logs.all();
        assertThat(logged).isNotEmpty();
        for (String message : logged) {
            assertThat(message).doesNotContain(CLIENT_SECRET).doesNotContain(SESSION_SECRET).doesNotContain("paula-secret");
            for (String token : tokensIssued) {
                // a JWT's signature alone is enough to recognize it
                assertThat(message).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            }
        }
    }

    private String issuer(String issuerId)
    {
        return providerUri.resolve(issuerId).toString();
    }

    private String token(String subject, List<String> audience, List<String> groups, long expirySeconds)
    {
        return token(ISSUER_ID, subject, audience, groups, expirySeconds);
    }

    // as an API client gets one: from the provider's token endpoint (client credentials)
    private String token(String issuerId, String subject, List<String> audience, List<String> groups, long expirySeconds)
    {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, JOSEObjectType.JWT.getType(), audience, Map.of("preferred_username", subject, "groups", groups), expirySeconds));
        HttpResponse<String> response = TestingGateway.send(HttpRequest.newBuilder(URI.create(issuer(issuerId) + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=switchboard&client_id=api-client&client_secret=api-client-secret"))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = json(response.body()).get("access_token").asText();
        tokensIssued.add(token);
        return token;
    }

    private static HttpResponse<String> get(URI uri, Optional<String> cookie, Map<String, String> headers)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        cookie.ifPresent(value -> request.header("Cookie", value));
        headers.forEach(request::header);
        // java.net.http follows no redirects unless told: each step of the flow is looked at
        return TestingGateway.send(request.build());
    }

    private static Map<String, String> query(URI uri)
    {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, equals), UTF_8), URLDecoder.decode(pair.substring(equals + 1), UTF_8));
        }
        return parameters;
    }

    private HttpResponse<String> bearer(String method, String path, String token)
    {
        return TestingGateway.send(HttpRequest.newBuilder(gateway.baseUri().resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    // an API call from the console's page, as its own script makes them: with the page's cookies
    private String fetchInBrowser(String method, String path)
    {
        return (String) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[1], { method: arguments[0], credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'switchboard-console' } })
                    .then(response => response.text().then(body => done(response.status + ' ' + body)))
                    .catch(error => done('failed ' + error));
                """, method, path);
    }

    private void clickDrain()
    {
        By button = By.cssSelector("#clusters button[data-cluster='" + CLUSTER + "'][data-action='drain']");
        await(_ -> {
            browser.findElement(button).click();
            return true;
        });
    }

    private String visibleText(String id)
    {
        var element = browser.findElement(By.id(id));
        return element.isDisplayed() ? element.getText() : "";
    }

    private String clusterCell(int column)
    {
        return cellText("#clusters tr[data-cluster='" + CLUSTER + "'] td", column);
    }

    private String cellText(String cellsSelector, int column)
    {
        return (String) browser.executeScript(
                "const cells = document.querySelectorAll(arguments[0]); return cells.length > arguments[1] ? cells[arguments[1]].textContent : null;",
                cellsSelector, column);
    }

    private void await(Function<WebDriver, Boolean> condition)
    {
        chromium.await(condition, WAIT);
    }
}
