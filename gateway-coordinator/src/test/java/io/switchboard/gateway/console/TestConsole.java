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
package io.switchboard.gateway.console;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import io.trino.jdbc.TrinoResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The console in a real headless Chromium, driven through ChromeDriver, against a gateway with a
 * password file and a real Trino 476 cluster with both Switchboard plugins.
 */
@TestInstance(PER_CLASS)
final class TestConsole
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Optional<String> ADMIN = Optional.of("alice:alice-secret");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path passwordFile;
    private TestingMysql mysql;
    private TrinoServer trino;
    private TestingGateway gateway;
    private Path browserProfile;
    private ChromeDriverService driverService;
    private ChromeDriver browser;

    @BeforeAll
    void start()
            throws IOException
    {
        assertThat(CHROMIUM).as("headless Chromium for the console's tests: apt-get install chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("ChromeDriver for the console's tests: apt-get install chromium chromium-driver").isExecutable();
        passwordFile = Files.createTempFile("switchboard-passwords", ".txt");
        Files.writeString(passwordFile, """
                alice:%s:admin
                victor:%s:viewer
                """.formatted(hash("alice-secret"), hash("victor-secret")));
        mysql = TestingMysql.start();
        gateway = new TestingGateway(mysql, Map.of(
                "security.password-file", passwordFile.toString(),
                "health.check-interval", "1s",
                "health.timeout", "1s",
                "admission.enabled", "true",
                "admission.user-max-running", "queued-user:1"));
        trino = memberCluster("console-1", mysql, "switchboard.heartbeat-interval=1s\n").start();
        gateway.addCluster(trino, "adhoc", ADMIN);

        browserProfile = Files.createTempDirectory("switchboard-chromium");
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + browserProfile);
        browser = new ChromeDriver(driverService, options);
    }

    @AfterAll
    void stop()
            throws IOException
    {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        try (TestingMysql closedLast = mysql; TrinoServer closedSecond = trino; TestingGateway closedFirst = gateway) {
            if (passwordFile != null) {
                Files.deleteIfExists(passwordFile);
            }
            if (browserProfile != null) {
                deleteRecursively(browserProfile, ALLOW_INSECURE);
            }
        }
    }

    @Test
    void operatorsSignInWatchTheClustersAndQueriesAndOnlyAdminsDrain()
            throws Exception
    {
        browser.get(gateway.baseUri().resolve("/console").toString());
        await(_ -> visibleText("sign-in-reason").contains("Authentication required"));

        signIn("alice", "wrong");
        await(_ -> visibleText("sign-in-reason").equals("Invalid user or password"));

        signIn("victor", "victor-secret");
        await(_ -> "HEALTHY".equals(clusterCell("console-1", 2)) && "ACTIVE".equals(clusterCell("console-1", 4)));
        assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("signed in as victor");
        assertThat(clusterCell("console-1", 1)).isEqualTo("adhoc");
        assertThat(clusterCell("console-1", 7)).isEqualTo("accepted");

        // markup in the SQL text is shown as text, never interpreted
        String queryId = runQuery("SELECT '<img id=\"injected\" src=\"x\">' AS markup");
        await(_ -> !browser.findElements(By.cssSelector("#queries tr[data-query='" + queryId + "']")).isEmpty()
                && "FINISHED".equals(queryCell(queryId, 1)));
        assertThat(queryCell(queryId, 2)).isEqualTo("console-user");
        assertThat(queryCell(queryId, 3)).isEqualTo("console-1");
        assertThat(queryCell(queryId, 6)).contains("<img id=\"injected\"");
        assertThat(browser.findElements(By.id("injected"))).isEmpty();

        // a viewer reads, but may not drain
        clickClusterButton("console-1", "drain");
        await(_ -> visibleText("message").contains("may read but not change"));
        assertThat(desiredState("console-1")).isEqualTo("ACTIVE");

        browser.findElement(By.id("sign-out")).click();
        signIn("alice", "alice-secret");
        clickClusterButton("console-1", "drain");
        await(_ -> "draining".equals(clusterCell("console-1", 7)) && "DRAINED".equals(clusterCell("console-1", 4)));
        assertThat(desiredState("console-1")).isEqualTo("DRAINING");
        assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();

        clickClusterButton("console-1", "activate");
        await(_ -> "accepted".equals(clusterCell("console-1", 7)) && "ACTIVE".equals(clusterCell("console-1", 4)));
        assertThat(desiredState("console-1")).isEqualTo("ACTIVE");

        JsonNode audit = json(gateway.send("GET", "/api/v1/audit?target=console-1", null, ADMIN).body());
        assertThat(audit.findValuesAsText("actor")).contains("alice").doesNotContain("victor");
    }

    @Test
    void withoutAPasswordFileTheConsoleShowsAtOnceAndLoopbackDrains()
            throws IOException
    {
        try (TestingGateway open = new TestingGateway(mysql, Map.of("health.check-interval", "1s", "health.timeout", "1s"))) {
            browser.get(open.baseUri().resolve("/console").toString());
            await(_ -> "HEALTHY".equals(clusterCell("console-1", 2)));
            assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();

            // writes are accepted from the gateway's own host while no authenticator is configured
            clickClusterButton("console-1", "drain");
            await(_ -> "draining".equals(clusterCell("console-1", 7)));
            clickClusterButton("console-1", "activate");
            await(_ -> "accepted".equals(clusterCell("console-1", 7)));
            JsonNode audit = json(open.send("GET", "/api/v1/audit?target=console-1", null).body());
            assertThat(audit.findValuesAsText("actor")).contains("anonymous");

            // a cluster that gets no queries says why, in view
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            HttpResponse<String> added = open.send("POST", "/api/v1/clusters", """
                    {"name": "console-dead", "proxyUrl": "http://127.0.0.1:%s", "routingGroup": "etl"}
                    """.formatted(closedPort));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            try {
                await(_ -> clusterCell("console-dead", 2) != null && clusterCell("console-dead", 2).startsWith("UNHEALTHY"));
                assertThat(clusterCell("console-dead", 2)).contains("Connection refused");
                assertThat(clusterCell("console-1", 2)).isEqualTo("HEALTHY");
            }
            finally {
                assertThat(open.send("DELETE", "/api/v1/clusters/console-dead", null).statusCode()).isEqualTo(204);
            }
            await(_ -> clusterCell("console-dead", 0) == null);
        }
    }

    @Test
    void whileMysqlIsDownTheClustersStillShowAndTheQueriesSaySo()
    {
        try (TestingGateway open = new TestingGateway(mysql, Map.of("health.check-interval", "1s", "health.timeout", "1s"))) {
            browser.get(open.baseUri().resolve("/console").toString());
            await(_ -> "HEALTHY".equals(clusterCell("console-1", 2)) && visibleText("message").isEmpty());

            mysql.stopServer();
            try {
                HttpResponse<String> queries = open.send("GET", "/api/v1/queries", null);
                assertThat(queries.statusCode()).isEqualTo(503);
                assertThat(json(queries.body()).get("error").asText()).startsWith("Cannot read the query history from MySQL: ");

                await(_ -> visibleText("message").startsWith("Cannot read the latest queries: Cannot read the query history from MySQL"));
                String updated = browser.findElement(By.id("updated")).getText();
                await(_ -> !browser.findElement(By.id("updated")).getText().equals(updated));
                assertThat(clusterCell("console-1", 2)).isEqualTo("HEALTHY");
                assertThat(visibleText("message")).doesNotContain("Cannot read the clusters");
            }
            finally {
                mysql.startServer();
            }
            await(_ -> visibleText("message").isEmpty());
        }
    }

    @Test
    void theAdmissionQueueShowsItsLimitsWhoRunsAndWhoWaits()
            throws Exception
    {
        // queued-user may run one query: a first one, never polled, holds the slot and the second waits in the gateway
        URI running = submit("SELECT 1");
        URI queued = submit("SELECT 2");
        assertThat(queued.getPath()).startsWith("/v1/statement/queued/gateway/");
        try {
            browser.get(gateway.baseUri().resolve("/console").toString());
            signIn("victor", "victor-secret");
            await(_ -> "queued-user".equals(cellText("#admission-queued tbody td", 2)));
            assertThat(cellText("#admission-queued tbody td", 0)).isEqualTo("1");
            assertThat(cellText("#admission-queued tbody td", 1)).isEqualTo("adhoc");
            assertThat(cellText("#admission-queued tbody td", 6)).contains("admission.user-max-running");
            assertThat(browser.findElement(By.id("admission-limits")).getText()).contains("admission.user-max-running queued-user:1");
            assertThat(browser.findElement(By.id("admission-running")).getText()).contains("user queued-user 1");
            assertThat(visibleText("admission-counters")).startsWith("1 waiting;");
        }
        finally {
            assertThat(cancel(queued)).isEqualTo(204);
            cancel(running);
        }
        await(_ -> cellText("#admission-queued tbody td", 0) == null && !browser.findElement(By.id("admission-running")).getText().contains("queued-user"));
    }

    private URI submit(String sql)
            throws IOException, InterruptedException
    {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/statement"))
                .header("X-Trino-User", "queued-user")
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return URI.create(json(response.body()).get("nextUri").asText());
    }

    private int cancel(URI nextUri)
            throws IOException, InterruptedException
    {
        return HTTP.send(HttpRequest.newBuilder(nextUri).header("X-Trino-User", "queued-user").DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theConsoleFilesAreServedWithAPolicyAndNothingElseIs()
    {
        HttpResponse<String> page = gateway.send("GET", "/console", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'").contains("connect-src 'self'");
        assertThat(page.body()).contains("<script src=\"/console/console.js\"");
        assertThat(gateway.send("GET", "/console/", null).body()).isEqualTo(page.body());
        assertThat(gateway.send("GET", "/console/console.js", null).headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(gateway.send("GET", "/console/other.js", null).statusCode()).isEqualTo(404);
        // an encoded separator is refused by Jetty before any resource sees it
        assertThat(gateway.send("GET", "/console/..%2Fconsole%2FConsoleResource.class", null).statusCode()).isEqualTo(400);
        assertThat(gateway.send("GET", "/console/ConsoleResource.class", null).statusCode()).isEqualTo(404);
    }

    private void signIn(String user, String password)
    {
        await(_ -> browser.findElement(By.id("sign-in")).isDisplayed());
        WebElement userField = browser.findElement(By.id("user"));
        userField.clear();
        userField.sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in-button")).click();
    }

    private String visibleText(String id)
    {
        WebElement element = browser.findElement(By.id(id));
        return element.isDisplayed() ? element.getText() : "";
    }

    private String clusterCell(String cluster, int column)
    {
        return cellText("#clusters tr[data-cluster='" + cluster + "'] td", column);
    }

    private String queryCell(String queryId, int column)
    {
        return cellText("#queries tr[data-query='" + queryId + "'] td", column);
    }

    // the table is redrawn on every refresh: read a cell again rather than keep its element
    private String cellText(String cellsSelector, int column)
    {
        return (String) browser.executeScript(
                "const cells = document.querySelectorAll(arguments[0]); return cells.length > arguments[1] ? cells[arguments[1]].textContent : null;",
                cellsSelector, column);
    }

    // the table is redrawn on every refresh: a button found just before may be gone at the click, then it is found again
    private void clickClusterButton(String cluster, String action)
    {
        By button = By.cssSelector("#clusters button[data-cluster='" + cluster + "'][data-action='" + action + "']");
        await(_ -> {
            browser.findElement(button).click();
            return true;
        });
    }

    private String desiredState(String cluster)
    {
        return json(gateway.send("GET", "/api/v1/clusters/" + cluster, null, ADMIN).body()).get("desiredState").asText();
    }

    private String runQuery(String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "console-user", null);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            String queryId = resultSet.unwrap(TrinoResultSet.class).getQueryId();
            // read to the end: closing a result set earlier cancels a query still running
            assertThat(resultSet.next()).isFalse();
            return queryId;
        }
    }

    private void await(Function<WebDriver, Boolean> condition)
    {
        new WebDriverWait(browser, WAIT)
                .ignoring(StaleElementReferenceException.class)
                // the tables of a signed-out user stay in the page, hidden, until the next user's arrive
                .ignoring(ElementNotInteractableException.class)
                .withMessage(() -> "the console showed: " + browser.findElement(By.tagName("body")).getText())
                .until(condition);
    }

    private static String hash(String password)
    {
        return BCrypt.withDefaults().hashToString(6, password.toCharArray());
    }
}
