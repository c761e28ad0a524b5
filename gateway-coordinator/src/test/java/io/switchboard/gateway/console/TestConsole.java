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
import io.switchboard.gateway.TestingChromium;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import io.switchboard.testing.TrinoSupervisor;
import io.trino.jdbc.TrinoResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

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
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The console in a real headless Chromium, driven through ChromeDriver, against a gateway with a
 * password file and two real Trino 476 clusters with both Switchboard plugins: console-1 in group
 * adhoc, and console-roll alone in group roll, whose coordinator exits once drained and is
 * started again by a supervisor thread, for a rolling restart. Each view is saved as a PNG
 * under target/console-screenshots.
 */
@TestInstance(PER_CLASS)
final class TestConsole
{
    private static final Optional<String> ADMIN = Optional.of("alice:alice-secret");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration ROLLING_RESTART_WAIT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private Path passwordFile;
    private TestingMysql mysql;
    private TrinoServer trino;
    private TrinoServer rolling;
    private TrinoSupervisor supervisor;
    private TestingGateway gateway;
    private TestingChromium chromium;
    private ChromeDriver browser;

    @BeforeAll
    void start()
            throws Exception
    {
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
        trino = memberCluster("console-1", mysql, "switchboard.heartbeat-interval=1s\n").build();
        rolling = memberCluster("console-roll", mysql, "switchboard.heartbeat-interval=1s\nswitchboard.exit-when-drained=true\n").build();
        // both coordinators start at once; the supervisor keeps console-roll running, as systemd's Restart=always would
        Thread first = Thread.ofPlatform().name("start-console-1").start(trino::start);
        supervisor = TrinoSupervisor.supervise(rolling);
        first.join();
        assertThat(trino.isRunning()).isTrue();
        gateway.addCluster(trino, "adhoc", ADMIN);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!rolling.isRunning()) {
            assertThat(System.nanoTime()).as("console-roll did not start").isLessThan(deadline);
            Thread.sleep(200);
        }
        gateway.addCluster(rolling, "roll", ADMIN);

        chromium = TestingChromium.start();
        browser = chromium.browser();
    }

    @AfterAll
    void stop()
            throws IOException, InterruptedException
    {
        if (chromium != null) {
            chromium.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        try (TestingMysql closedLast = mysql; TrinoServer closedThird = trino; TrinoServer closedSecond = rolling; TestingGateway closedFirst = gateway) {
            if (passwordFile != null) {
                Files.deleteIfExists(passwordFile);
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
        await(_ -> "HEALTHY".equals(clusterCell("console-1", 3)) && "ACTIVE".equals(clusterCell("console-1", 5)));
        assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("signed in as victor");
        assertThat(clusterCell("console-1", 1)).isEqualTo("adhoc");
        assertThat(clusterCell("console-1", 8)).isEqualTo("accepted");
        assertThat(cellText("#clusters tr[data-group='adhoc'] th", 0)).startsWith("Group adhoc: 1 cluster, 1 accepting queries");

        // a viewer sees everything but gets no control that changes anything, and is told why
        assertThat(browser.findElements(By.cssSelector("#clusters button[data-cluster]"))).isEmpty();
        assertThat(browser.findElement(By.id("add-cluster-open")).isDisplayed()).isFalse();
        assertThat(visibleText("read-only")).isEqualTo("Read only: User victor may read but not change the gateway's configuration: the admin role is needed");
        clickGroupButton("adhoc");
        await(_ -> visibleText("rollout-state").equals("No rolling restart of group adhoc yet."));
        assertThat(browser.findElement(By.id("rollout-form")).isDisplayed()).isFalse();
        browser.findElement(By.id("rollout-close")).click();
        screenshot("fleet-viewer");

        // the routing rules in force
        show("#routing");
        await(_ -> visibleText("rules-summary").startsWith("version "));
        assertThat(browser.findElement(By.id("dry-run")).isDisplayed()).isFalse();
        assertThat(visibleText("dry-run-refused")).endsWith("the admin role is needed");

        // markup in the SQL text is shown as text, never interpreted
        show("#queries");
        String queryId = runQuery("console-user", "SELECT '<img id=\"injected\" src=\"x\">' AS markup");
        await(_ -> !browser.findElements(By.cssSelector("#queries tr[data-query='" + queryId + "']")).isEmpty()
                && "FINISHED".equals(queryCell(queryId, 1)));
        assertThat(queryCell(queryId, 2)).isEqualTo("console-user");
        assertThat(queryCell(queryId, 3)).isEqualTo("console-1");
        assertThat(queryCell(queryId, 6)).contains("<img id=\"injected\"");
        assertThat(browser.findElements(By.id("injected"))).isEmpty();

        // the API refuses a viewer's change all the same
        assertThat(gateway.send("POST", "/api/v1/clusters/console-1/drain", "", Optional.of("victor:victor-secret")).statusCode()).isEqualTo(403);
        assertThat(desiredState("console-1")).isEqualTo("ACTIVE");

        browser.findElement(By.id("sign-out")).click();
        signIn("alice", "alice-secret");
        show("#fleet");
        clickClusterButton("console-1", "drain");
        await(_ -> "draining".equals(clusterCell("console-1", 8)) && "DRAINED".equals(clusterCell("console-1", 5)));
        assertThat(desiredState("console-1")).isEqualTo("DRAINING");
        assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();

        clickClusterButton("console-1", "activate");
        await(_ -> "accepted".equals(clusterCell("console-1", 8)) && "ACTIVE".equals(clusterCell("console-1", 5)));
        assertThat(desiredState("console-1")).isEqualTo("ACTIVE");

        JsonNode audit = json(gateway.send("GET", "/api/v1/audit?target=console-1", null, ADMIN).body());
        assertThat(audit.findValuesAsText("actor")).contains("alice").doesNotContain("victor");

        // the same entries in the audit view
        show("#audit");
        typeInto("audit-target", "console-1");
        browser.findElement(By.id("audit-search")).click();
        await(_ -> auditEntries().stream().allMatch(entry -> entry.endsWith(" console-1"))
                && auditEntries().containsAll(List.of("alice DRAIN_CLUSTER console-1", "alice UNDRAIN_CLUSTER console-1")));
        // a change's details, cut short in the table, show whole on a click
        WebElement details = browser.findElement(By.cssSelector("#audit tbody tr td.details"));
        details.click();
        assertThat(details.getDomAttribute("class")).contains("expanded");
        screenshot("audit");
    }

    @Test
    void adminsAddEditAndDeleteAClusterAfterConfirmingAndFollowItsHealth()
            throws Exception
    {
        openAs("alice", "alice-secret");
        await(_ -> "HEALTHY".equals(clusterCell("console-1", 3)));

        // the health timeline of the selected cluster
        browser.findElement(By.cssSelector("#clusters tr[data-cluster='console-1'] a")).click();
        await(_ -> !browser.findElements(By.cssSelector("#health-timeline span[data-state='HEALTHY']")).isEmpty());
        assertThat(cellText("#health-history tbody td", 2)).isEqualTo("HEALTHY");
        assertThat(visibleText("cluster-detail-title")).isEqualTo("Cluster console-1");
        assertThat(visibleText("cluster-detail-summary")).contains("group adhoc").contains("Trino 476");
        screenshot("fleet");

        // at phone width nothing but the tables' own boxes scrolls sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            await(_ -> (Boolean) browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth;"));
            screenshot("fleet-phone");
        }
        finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        browser.findElement(By.id("add-cluster-open")).click();
        typeInto("cluster-name", "console-extra");
        typeInto("cluster-proxy-url", "ftp://127.0.0.1:" + closedPort);
        typeInto("cluster-group", "spare");
        new Select(browser.findElement(By.id("cluster-kind"))).selectByValue("prestodb");
        browser.findElement(By.id("cluster-save")).click();
        // a refused change says why, and the form stays open to correct it
        await(_ -> visibleText("message").startsWith("Adding console-extra failed: proxyUrl"));
        typeInto("cluster-proxy-url", "http://127.0.0.1:" + closedPort);
        browser.findElement(By.id("cluster-save")).click();
        await(_ -> "spare".equals(clusterCell("console-extra", 1)) && visibleText("message").isEmpty());
        assertThat(clusterCell("console-extra", 2)).isEqualTo("PrestoDB");
        assertThat(browser.findElement(By.id("cluster-form")).isDisplayed()).isFalse();

        clickClusterButton("console-extra", "edit");
        await(_ -> browser.findElement(By.id("cluster-form")).isDisplayed());
        assertThat(browser.findElement(By.id("cluster-name")).getDomProperty("value")).isEqualTo("console-extra");
        assertThat(browser.findElement(By.id("cluster-name")).getDomProperty("readOnly")).isEqualTo("true");
        typeInto("cluster-group", "spare-2");
        typeInto("cluster-weight", "7");
        browser.findElement(By.id("cluster-active")).click();
        browser.findElement(By.id("cluster-save")).click();
        await(_ -> "spare-2".equals(clusterCell("console-extra", 1)) && "deactivated".equals(clusterCell("console-extra", 8)));
        JsonNode edited = json(gateway.send("GET", "/api/v1/clusters/console-extra", null, ADMIN).body());
        assertThat(edited.get("weight").asInt()).isEqualTo(7);
        assertThat(edited.get("active").asBoolean()).isFalse();
        assertThat(edited.get("kind").asText()).isEqualTo("prestodb");
        assertThat(edited.get("proxyUrl").asText()).isEqualTo("http://127.0.0.1:" + closedPort);

        // deleting asks first; keeping it changes nothing
        clickClusterButton("console-extra", "delete");
        await(_ -> clusterCell("console-extra", 10) != null && clusterCell("console-extra", 10).startsWith("Delete console-extra?"));
        clickClusterButton("console-extra", "cancel-delete");
        await(_ -> browser.findElements(By.cssSelector("#clusters button[data-cluster='console-extra'][data-action='confirm-delete']")).isEmpty());
        assertThat(gateway.send("GET", "/api/v1/clusters/console-extra", null, ADMIN).statusCode()).isEqualTo(200);
        clickClusterButton("console-extra", "delete");
        clickClusterButton("console-extra", "confirm-delete");
        await(_ -> clusterCell("console-extra", 0) == null);
        assertThat(gateway.send("GET", "/api/v1/clusters/console-extra", null, ADMIN).statusCode()).isEqualTo(404);

        show("#audit");
        typeInto("audit-target", "console-extra");
        browser.findElement(By.id("audit-search")).click();
        await(_ -> auditEntries().equals(List.of("alice DELETE_CLUSTER console-extra", "alice UPDATE_CLUSTER console-extra", "alice ADD_CLUSTER console-extra")));
    }

    @Test
    void queriesAreFoundByUserAndTextPageByPageAndShowEverythingStored()
            throws Exception
    {
        String marker = "marker_" + Long.toHexString(System.nanoTime());
        String first = runQuery("history-user", "SELECT 1 AS " + marker + "_a");
        String second = runQuery("history-user", "SELECT 2 AS " + marker + "_b");
        String otherSql = "SELECT count(*) AS " + marker + "_c\nFROM tpch.tiny.nation\nWHERE regionkey = 1";
        String other = runQuery("other-user", otherSql);
        String failingSql = "SELECT * FROM tpch.tiny." + marker + "_missing";
        assertThatThrownBy(() -> runQuery("other-user", failingSql)).isInstanceOf(SQLException.class);

        openAs("victor", "victor-secret");
        show("#queries");
        typeInto("filter-user", "history-user");
        browser.findElement(By.id("query-search")).click();
        await(_ -> queryRows().equals(List.of(second, first)));

        // page by page with the API's next token
        typeInto("filter-limit", "1");
        browser.findElement(By.id("query-search")).click();
        await(_ -> queryRows().equals(List.of(second)));
        browser.findElement(By.id("queries-next")).click();
        await(_ -> queryRows().equals(List.of(first)) && visibleText("queries-page").startsWith("page 2"));
        browser.findElement(By.id("queries-first")).click();
        await(_ -> queryRows().equals(List.of(second)) && visibleText("queries-page").startsWith("page 1"));

        // by SQL text
        browser.findElement(By.id("query-reset")).click();
        typeInto("filter-text", marker + "_c");
        browser.findElement(By.id("query-search")).click();
        await(_ -> queryRows().equals(List.of(other)) && "FINISHED".equals(queryCell(other, 1)));
        assertThat(queryCell(other, 2)).isEqualTo("other-user");
        screenshot("queries");

        // the search is in the address: opened again, it shows the same queries and fills the form
        assertThat(browser.getCurrentUrl()).endsWith("#queries?text=" + marker + "_c");
        browser.navigate().refresh();
        signIn("victor", "victor-secret");
        await(_ -> queryRows().equals(List.of(other)));
        assertThat(browser.findElement(By.id("filter-text")).getDomProperty("value")).isEqualTo(marker + "_c");

        // the query's page
        browser.findElement(By.cssSelector("#queries tr[data-query='" + other + "'] a")).click();
        await(_ -> visibleText("query-title").equals("Query " + other) && !fact("cpuTime").isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("#query/" + other);
        assertThat(browser.findElement(By.id("query-sql")).getText()).isEqualTo(otherSql);
        assertThat(fact("state")).isEqualTo("FINISHED");
        assertThat(fact("user")).isEqualTo("other-user");
        assertThat(fact("cluster")).isEqualTo("console-1");
        assertThat(fact("routingGroup")).isEqualTo("adhoc");
        assertThat(fact("createdAt")).endsWith(" UTC");
        assertThat(fact("startedAt")).endsWith(" UTC");
        assertThat(fact("endedAt")).endsWith(" UTC");
        assertThat(fact("wallTime")).isNotEmpty();
        assertThat(fact("outputRows")).isEqualTo("1");
        assertThat(browser.findElement(By.id("query-tables")).getText()).contains("tpch.tiny.nation");
        assertThat(browser.findElement(By.id("query-error-section")).isDisplayed()).isFalse();
        browser.findElement(By.id("copy-sql")).click();
        await(_ -> !visibleText("copy-result").isEmpty());
        screenshot("query");

        // the cluster's own web UI, through the gateway, which routes the page by the query id
        String href = browser.findElement(By.id("query-ui-link")).getDomAttribute("href");
        assertThat(href).isEqualTo("/ui/query.html?" + other);
        HttpResponse<String> trinoUi = HTTP.send(HttpRequest.newBuilder(gateway.baseUri().resolve(href)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(trinoUi.statusCode()).as(trinoUi.body()).isBetween(200, 399);

        // a failed query's page shows its error
        show("#queries");
        browser.findElement(By.id("query-reset")).click();
        typeInto("filter-text", marker + "_missing");
        new Select(browser.findElement(By.id("filter-state"))).selectByVisibleText("FAILED");
        browser.findElement(By.id("query-search")).click();
        await(_ -> queryRows().size() == 1);
        browser.findElement(By.cssSelector("#queries tbody tr a")).click();
        await(_ -> visibleText("query-error").startsWith("TABLE_NOT_FOUND (USER_ERROR, code "));
        assertThat(visibleText("query-error")).contains(marker + "_missing");
        assertThat(fact("state")).isEqualTo("FAILED");
        assertThat(browser.findElement(By.id("query-sql")).getText()).isEqualTo(failingSql);
    }

    @Test
    void theAnalyticsChartTheQueriesPerClusterGroupAndUserOverTheRangeAskedFor()
            throws Exception
    {
        runQuery("analytics-user", "SELECT count(*) FROM tpch.tiny.nation");
        runQuery("analytics-user", "SELECT count(*) FROM tpch.tiny.region WHERE regionkey > 1");
        // a failure counts against its user's and its cluster's success rate
        assertThatThrownBy(() -> runQuery("analytics-failing", "SELECT * FROM tpch.tiny.analytics_missing")).isInstanceOf(SQLException.class);
        // the event listener writes the completions a moment after the clients see them
        awaitCompleted("analytics-user", 2);
        awaitCompleted("analytics-failing", 1);

        openAs("victor", "victor-secret");
        show("#analytics");
        await(_ -> chartValue("chart-throughput", "console-1") > 0
                && chartValue("chart-latency", "console-1 P50") > 0
                && chartValue("chart-users-cpu", "analytics-user") > 0
                && chartValue("chart-slow-tables", "tpch.tiny.nation") > 0);
        assertThat(chartValue("chart-latency", "console-1 P99")).isGreaterThanOrEqualTo(chartValue("chart-latency", "console-1 P90"));
        assertThat(chartValue("chart-latency", "console-1 P90")).isGreaterThanOrEqualTo(chartValue("chart-latency", "console-1 P50"));
        assertThat(chartValue("chart-success", "console-1")).isGreaterThan(0).isLessThan(100);
        assertThat(chartValue("chart-users-bytes", "analytics-user")).isGreaterThanOrEqualTo(0);
        assertThat(cellText("#user-success tr[data-user='analytics-failing'] td", 1)).isEqualTo("0 %");
        assertThat(cellText("#slow-tables tr[data-table='tpch.tiny.nation'] td", 1)).isNotEmpty();
        assertThat(visibleText("analytics-summary")).startsWith("From ").contains("in buckets of 1 minute");
        // every chart was drawn on a canvas of the page's width
        for (String chart : List.of("chart-throughput", "chart-latency", "chart-success", "chart-users-cpu", "chart-users-bytes", "chart-slow-tables")) {
            assertThat(((Number) browser.executeScript("return document.getElementById(arguments[0]).width;", chart)).intValue()).as(chart).isGreaterThan(200);
        }
        screenshot("analytics");

        // a day per routing group; the choice is in the address
        new Select(browser.findElement(By.id("analytics-range"))).selectByValue("day");
        new Select(browser.findElement(By.id("analytics-by"))).selectByValue("group");
        browser.findElement(By.id("analytics-show")).click();
        await(_ -> browser.getCurrentUrl().endsWith("#analytics?range=day&by=group") && chartValue("chart-throughput", "adhoc") > 0
                && visibleText("analytics-summary").contains("in buckets of 15 minutes"));
        assertThat(chartValue("chart-throughput", "console-1")).isEqualTo(-1);

        // a custom range, opened from the address; a range that ends before it starts is refused with the API's reason
        Instant now = Instant.now();
        show("#analytics?from=" + now.minus(Duration.ofHours(3)) + "&to=" + now.plus(Duration.ofMinutes(1)));
        await(_ -> visibleText("analytics-summary").contains("in buckets of 15 minutes") && chartValue("chart-throughput", "console-1") > 0);
        assertThat(new Select(browser.findElement(By.id("analytics-range"))).getFirstSelectedOption().getDomAttribute("value")).isEqualTo("custom");
        typeInto("analytics-to", now.minus(Duration.ofDays(1)).toString());
        browser.findElement(By.id("analytics-show")).click();
        await(_ -> visibleText("message").contains("from must be before to"));

        // the fleet's load over the last hour
        show("#fleet");
        await(_ -> chartValue("chart-fleet-load", "console-1") > 0 && chartValue("chart-fleet-latency", "console-1 P90") > 0);
        screenshot("fleet-load");
    }

    @Test
    void theRulesInForceAndTheirVersionsAreListedAndADryRunShowsEachRuleAndTheGroup()
            throws Exception
    {
        HttpResponse<String> added = gateway.send("POST", "/api/v1/routing-rules", """
                {"name": "console-airflow", "priority": 10, "condition": "source == 'airflow'", "routingGroup": "roll", "description": "scheduled work"}
                """, ADMIN);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        try {
            openAs("alice", "alice-secret");
            show("#routing");
            await(_ -> "console-airflow — scheduled work".equals(cellText("#rules tr[data-rule='console-airflow'] td", 1)));
            assertThat(cellText("#rules tr[data-rule='console-airflow'] td", 2)).isEqualTo("source == 'airflow'");
            assertThat(cellText("#rules tr[data-rule='console-airflow'] td", 3)).isEqualTo("roll");
            assertThat(browser.findElement(By.id("rule-versions")).getText()).contains("alice");

            typeInto("dry-run-user", "scheduler");
            typeInto("dry-run-source", "airflow");
            typeInto("dry-run-sql", "SELECT * FROM tpch.tiny.nation");
            browser.findElement(By.id("dry-run-submit")).click();
            await(_ -> "roll".equals(browser.findElement(By.id("dry-run-decision")).getDomAttribute("data-group")));
            assertThat(visibleText("dry-run-decision")).startsWith("Routing group roll; chosen by rule console-airflow;").contains("would run on console-roll");
            assertThat(cellText("#dry-run-rules tr[data-rule='console-airflow'] td", 2)).isEqualTo("MATCHED");
            assertThat(cellText("#dry-run-facts tr[data-fact='source'] td", 1)).isEqualTo("airflow");
            assertThat(cellText("#dry-run-facts tr[data-fact='user'] td", 1)).isEqualTo("scheduler");
            screenshot("routing");

            typeInto("dry-run-source", "notebook");
            browser.findElement(By.id("dry-run-submit")).click();
            await(_ -> "adhoc".equals(browser.findElement(By.id("dry-run-decision")).getDomAttribute("data-group")));
            assertThat(visibleText("dry-run-decision")).contains("no rule matched");
            assertThat(cellText("#dry-run-rules tr[data-rule='console-airflow'] td", 2)).isEqualTo("NOT_MATCHED");
        }
        finally {
            assertThat(gateway.send("DELETE", "/api/v1/routing-rules/console-airflow", null, ADMIN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRollingRestartOfAGroupIsStartedAndFollowedStepByStepUntilItEnds()
            throws Exception
    {
        openAs("alice", "alice-secret");
        await(_ -> "HEALTHY".equals(clusterCell("console-roll", 3)) && "ACTIVE".equals(clusterCell("console-roll", 5)));
        String startedBefore = json(gateway.send("GET", "/api/v1/clusters/console-roll", null, ADMIN).body()).get("coordinator").get("coordinatorStartedAt").asText();

        clickGroupButton("roll");
        await(_ -> visibleText("rollout-state").equals("No rolling restart of group roll yet."));
        // one cluster alone: the API asks for force, and the console says so
        browser.findElement(By.id("rollout-start")).click();
        await(_ -> visibleText("message").startsWith("Rolling restart of roll failed: ") && visibleText("message").contains("force=true"));
        browser.findElement(By.id("rollout-force")).click();
        browser.findElement(By.id("rollout-start")).click();

        Set<String> steps = new LinkedHashSet<>();
        await(_ -> {
            String step = cellText("#rollout-steps tr[data-cluster='console-roll'] td", 1);
            if (step != null) {
                steps.add(step);
            }
            String state = browser.findElement(By.id("rollout-state")).getDomAttribute("data-state");
            return "SUCCEEDED".equals(state) || "FAILED".equals(state);
        }, ROLLING_RESTART_WAIT);
        // the refresh that showed the end may have come between reading the step and the state
        steps.add(cellText("#rollout-steps tr[data-cluster='console-roll'] td", 1));
        assertThat(visibleText("rollout-state")).startsWith("SUCCEEDED finished ");
        assertThat(steps).contains("RESTARTING", "DONE");
        assertThat(cellText("#rollout-steps tr[data-cluster='console-roll'] td", 5)).isNotEmpty();
        screenshot("rolling-restart");
        await(_ -> "accepted".equals(clusterCell("console-roll", 8)) && "ACTIVE".equals(clusterCell("console-roll", 5)));
        assertThat(json(gateway.send("GET", "/api/v1/clusters/console-roll", null, ADMIN).body()).get("coordinator").get("coordinatorStartedAt").asText())
                .isNotEqualTo(startedBefore);

        show("#audit");
        typeInto("audit-target", "roll");
        browser.findElement(By.id("audit-search")).click();
        await(_ -> auditEntries().stream().allMatch(entry -> entry.endsWith(" roll"))
                && auditEntries().containsAll(List.of("alice ROLLING_RESTART_START roll", "alice ROLLING_RESTART_END roll")));
    }

    @Test
    void withoutAPasswordFileTheConsoleShowsAtOnceAndLoopbackDrains()
            throws IOException
    {
        try (TestingGateway open = new TestingGateway(mysql, Map.of("health.check-interval", "1s", "health.timeout", "1s"))) {
            browser.get(open.baseUri().resolve("/console").toString());
            await(_ -> "HEALTHY".equals(clusterCell("console-1", 3)));
            assertThat(clusterCell("console-1", 2)).isEqualTo("Trino");
            assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();

            // writes are accepted from the gateway's own host while no authenticator is configured
            clickClusterButton("console-1", "drain");
            await(_ -> "draining".equals(clusterCell("console-1", 8)));
            clickClusterButton("console-1", "activate");
            await(_ -> "accepted".equals(clusterCell("console-1", 8)));
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
                await(_ -> clusterCell("console-dead", 3) != null && clusterCell("console-dead", 3).startsWith("UNHEALTHY"));
                assertThat(clusterCell("console-dead", 3)).contains("Connection refused");
                assertThat(clusterCell("console-1", 3)).isEqualTo("HEALTHY");
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
            await(_ -> "HEALTHY".equals(clusterCell("console-1", 3)) && visibleText("message").isEmpty());

            mysql.stopServer();
            try {
                HttpResponse<String> queries = open.send("GET", "/api/v1/queries", null);
                assertThat(queries.statusCode()).isEqualTo(503);
                assertThat(json(queries.body()).get("error").asText()).startsWith("Cannot read the query history from MySQL: ");

                // the fleet needs nothing from MySQL
                String updated = browser.findElement(By.id("updated")).getText();
                await(_ -> !browser.findElement(By.id("updated")).getText().equals(updated));
                assertThat(clusterCell("console-1", 3)).isEqualTo("HEALTHY");
                assertThat(visibleText("message")).isEmpty();

                show("#queries");
                await(_ -> visibleText("message").startsWith("Cannot read the query history: Cannot read the query history from MySQL"));
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
    void theSessionSaysWhoCallsAndWhetherTheyMayChangeAnything()
    {
        JsonNode admin = json(gateway.send("GET", "/api/v1/session", null, ADMIN).body());
        assertThat(admin.get("user").asText()).isEqualTo("alice");
        assertThat(admin.get("role").asText()).isEqualTo("admin");
        assertThat(admin.get("canWrite").asBoolean()).isTrue();
        assertThat(admin.has("writeRefusal")).isFalse();

        JsonNode viewer = json(gateway.send("GET", "/api/v1/session", null, Optional.of("victor:victor-secret")).body());
        assertThat(viewer.get("role").asText()).isEqualTo("viewer");
        assertThat(viewer.get("canWrite").asBoolean()).isFalse();
        assertThat(viewer.get("writeRefusal").asText()).isEqualTo("User victor may read but not change the gateway's configuration: the admin role is needed");

        assertThat(gateway.send("GET", "/api/v1/session", null).statusCode()).isEqualTo(401);

        // without a password file: no user, and writes from loopback
        try (TestingGateway open = new TestingGateway(mysql, Map.of())) {
            JsonNode anonymous = json(open.send("GET", "/api/v1/session", null).body());
            assertThat(anonymous.has("user")).isFalse();
            assertThat(anonymous.has("role")).isFalse();
            assertThat(anonymous.get("canWrite").asBoolean()).isTrue();
        }
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

    // the largest value a line chart's series reaches, or a bar's value; -1 without that series or bar
    private double chartValue(String canvas, String series)
    {
        Object value = browser.executeScript("""
                const chart = Chart.getChart(arguments[0]);
                if (!chart) {
                    return -1;
                }
                if (chart.config.type === 'bar') {
                    const index = chart.data.labels.indexOf(arguments[1]);
                    return index < 0 ? -1 : chart.data.datasets[0].data[index];
                }
                const line = chart.data.datasets.find(dataset => dataset.label === arguments[1]);
                return line ? Math.max(0, ...line.data.map(point => point.y || 0)) : -1;
                """, canvas, series);
        return ((Number) value).doubleValue();
    }

    private void awaitCompleted(String user, int queries)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode page = json(gateway.send("GET", "/api/v1/queries?user=" + user, null, ADMIN).body());
            long completed = page.get("queries").findValuesAsText("state").stream().filter(state -> state.equals("FINISHED") || state.equals("FAILED")).count();
            if (completed >= queries) {
                return;
            }
            assertThat(System.nanoTime()).as("the history has %s completed queries of %s: %s", completed, user, page).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private void openAs(String user, String password)
    {
        browser.get(gateway.baseUri().resolve("/console").toString());
        signIn(user, password);
        await(_ -> browser.findElement(By.id("content")).isDisplayed());
    }

    private void show(String hash)
    {
        browser.executeScript("location.hash = arguments[0];", hash);
    }

    private void typeInto(String id, String text)
    {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private String fact(String key)
    {
        List<WebElement> facts = browser.findElements(By.cssSelector("#query-facts dd[data-fact='" + key + "']"));
        return facts.isEmpty() ? "" : facts.getFirst().getText();
    }

    @SuppressWarnings("unchecked")
    private List<String> queryRows()
    {
        return (List<String>) browser.executeScript("return [...document.querySelectorAll('#queries tbody tr')].map(row => row.dataset.query);");
    }

    // "<who> <action> <target>", newest first
    @SuppressWarnings("unchecked")
    private List<String> auditEntries()
    {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#audit tbody tr')].map(row => row.cells[1].textContent + ' ' + row.cells[3].textContent + ' ' + row.cells[4].textContent);");
    }

    private void screenshot(String name)
            throws IOException
    {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private void clickGroupButton(String group)
    {
        By button = By.cssSelector("#clusters button[data-group='" + group + "'][data-action='rolling-restart']");
        await(_ -> {
            browser.findElement(button).click();
            return true;
        });
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

    private String runQuery(String user, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), user, null);
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
        await(condition, WAIT);
    }

    private void await(Function<WebDriver, Boolean> condition, Duration timeout)
    {
        chromium.await(condition, timeout);
    }

    private static String hash(String password)
    {
        return BCrypt.withDefaults().hashToString(6, password.toCharArray());
    }
}
