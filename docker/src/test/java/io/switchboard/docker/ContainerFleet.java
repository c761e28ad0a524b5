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
package io.switchboard.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.awaitTrue;
import static java.util.Objects.requireNonNull;

/**
 * The compose file's fleet started through Testcontainers from the images
 * {@code docker/build-images} built: MariaDB, two Trino clusters with both plugins (routing group
 * adhoc, restarted by the container engine when they exit), and the gateway. Clients reach the
 * gateway and the database on published ports of 127.0.0.1.
 */
final class ContainerFleet
        implements AutoCloseable
{
    static final String GROUP = "adhoc";
    static final List<String> CLUSTERS = List.of("adhoc-1", "adhoc-2");

    private static final String LABEL = "io.switchboard.docker-tests";
    private static final String DATABASE = "switchboard";
    private static final String DATABASE_USER = "switchboard";
    private static final String DATABASE_PASSWORD = "switchboard-password";
    private static final String MYSQL_URL = "jdbc:mysql://mysql:3306/" + DATABASE;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Network network;
    private final GenericContainer<?> mysql;
    private final Map<String, GenericContainer<?>> clusters;
    private final GenericContainer<?> gateway;

    private ContainerFleet(Network network, GenericContainer<?> mysql, Map<String, GenericContainer<?>> clusters, GenericContainer<?> gateway)
    {
        this.network = requireNonNull(network, "network is null");
        this.mysql = requireNonNull(mysql, "mysql is null");
        this.clusters = new LinkedHashMap<>(clusters);
        this.gateway = requireNonNull(gateway, "gateway is null");
    }

    /**
     * Builds the images (docker/build-images) and starts the fleet; fails with what to do when no
     * container engine answers.
     */
    static ContainerFleet start()
    {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("""
                    No container engine answers Testcontainers. These tests run the images in docker/:
                      - with Docker: start it (or set DOCKER_HOST);
                      - on Debian without Docker: run 'docker/build-images --prepare' as root once: it installs podman and
                        starts its Docker API on unix:///run/podman/podman.sock, which the build then uses (.ci/run does this).
                    Skip them with -Dtest='!TestContainerFleet' -Dsurefire.failIfNoSpecifiedTests=false.""");
        }
        removeLeftovers();
        buildImages();

        Network network = Network.newNetwork();
        GenericContainer<?> mysql = new GenericContainer<>("mariadb:10.11")
                .withNetwork(network)
                .withNetworkAliases("mysql")
                .withLabel(LABEL, "true")
                .withEnv(Map.of(
                        "MARIADB_DATABASE", DATABASE,
                        "MARIADB_USER", DATABASE_USER,
                        "MARIADB_PASSWORD", DATABASE_PASSWORD,
                        "MARIADB_ROOT_PASSWORD", "root-password"))
                .withExposedPorts(3306)
                .withCreateContainerCmdModifier(command -> publishOnLoopback(command, 3306))
                .waitingFor(Wait.forLogMessage(".*ready for connections.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        Map<String, GenericContainer<?>> clusters = new LinkedHashMap<>();
        for (String name : CLUSTERS) {
            clusters.put(name, trino(network, name));
        }
        GenericContainer<?> gateway = new GenericContainer<>("switchboard/gateway:latest")
                .withNetwork(network)
                .withNetworkAliases("gateway")
                .withLabel(LABEL, "true")
                .withEnv(Map.of(
                        "SWITCHBOARD_DATABASE_URL", MYSQL_URL,
                        "SWITCHBOARD_DATABASE_USER", DATABASE_USER,
                        "SWITCHBOARD_DATABASE_PASSWORD", DATABASE_PASSWORD,
                        "SWITCHBOARD_DEFAULT_GROUP", GROUP,
                        "SWITCHBOARD_CLUSTERS", String.join(",", CLUSTERS.stream().map(name -> name + "=http://" + name + ":8080").toList()),
                        "SWITCHBOARD_EXTRA_PROPERTIES", """
                                routing.policy=ROUND_ROBIN
                                health.check-interval=1s
                                health.timeout=1s
                                rollout.poll-interval=200ms
                                """))
                .withExposedPorts(8080)
                .withCreateContainerCmdModifier(command -> publishOnLoopback(command, 8080))
                .waitingFor(Wait.forHttp("/api/v1/clusters").forPort(8080).withStartupTimeout(Duration.ofMinutes(2)));

        ContainerFleet fleet = new ContainerFleet(network, mysql, clusters, gateway);
        try {
            // the plugins wait for the schema the gateway creates; everything else starts at once
            mysql.start();
            List<GenericContainer<?>> others = new ArrayList<>(clusters.values());
            others.add(gateway);
            Startables.deepStart(others).join();
            awaitTrue(() -> CLUSTERS.stream().allMatch(fleet::isServing), Duration.ofMinutes(3));
            return fleet;
        }
        catch (RuntimeException | Error e) {
            fleet.close();
            throw e;
        }
    }

    private static GenericContainer<?> trino(Network network, String name)
    {
        return new GenericContainer<>("switchboard/trino:476")
                .withNetwork(network)
                .withNetworkAliases(name)
                .withLabel(LABEL, "true")
                .withEnv(Map.of(
                        "SWITCHBOARD_CLUSTER_NAME", name,
                        "SWITCHBOARD_MYSQL_URL", MYSQL_URL,
                        "SWITCHBOARD_MYSQL_USER", DATABASE_USER,
                        "SWITCHBOARD_MYSQL_PASSWORD", DATABASE_PASSWORD,
                        "SWITCHBOARD_ROUTER_PROPERTIES", "switchboard.heartbeat-interval=1s"))
                // exit-when-drained is on in the image: the engine starts a drained coordinator again
                .withCreateContainerCmdModifier(command -> publishOnLoopback(command, 8080).withRestartPolicy(RestartPolicy.alwaysRestart()))
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/v1/info").forPort(8080)
                        .forResponsePredicate(body -> body.contains("\"starting\":false"))
                        .withStartupTimeout(Duration.ofMinutes(4)));
    }

    /**
     * Publishes the port on a random port of 127.0.0.1 only (Testcontainers' default is every
     * address of the machine).
     */
    private static HostConfig publishOnLoopback(CreateContainerCmd command, int port)
    {
        return requireNonNull(command.getHostConfig(), "hostConfig is null")
                .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(port)));
    }

    /**
     * Containers of an earlier run whose JVM died before closing them (Ryuk, which would remove
     * them, needs an image from a registry).
     */
    private static void removeLeftovers()
    {
        DockerClient client = DockerClientFactory.instance().client();
        for (Container container : client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()) {
            client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    private static void buildImages()
    {
        // the module's directory while Maven runs the tests
        Path script = Paths.get("build-images").toAbsolutePath();
        try {
            Process process = new ProcessBuilder(script.toString()).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(script + " failed with exit code " + process.exitValue());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI gatewayUri()
    {
        return URI.create("http://127.0.0.1:" + gateway.getMappedPort(8080));
    }

    String gatewayJdbcUrl()
    {
        return "jdbc:trino://127.0.0.1:" + gateway.getMappedPort(8080) + "/tpch/tiny";
    }

    Connection database()
            throws SQLException
    {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + mysql.getMappedPort(3306) + "/" + DATABASE, DATABASE_USER, DATABASE_PASSWORD);
    }

    GenericContainer<?> gateway()
    {
        return gateway;
    }

    GenericContainer<?> cluster(String name)
    {
        return requireNonNull(clusters.get(name), () -> "no cluster " + name);
    }

    /**
     * Kills the coordinator's container (SIGKILL, as a crash) and starts it again unless its
     * restart policy did.
     */
    void crashAndRestart(String cluster)
            throws InterruptedException
    {
        DockerClient client = DockerClientFactory.instance().client();
        String id = cluster(cluster).getContainerId();
        client.killContainerCmd(id).exec();
        Thread.sleep(2000);
        if (!Boolean.TRUE.equals(client.inspectContainerCmd(id).exec().getState().getRunning())) {
            try {
                client.startContainerCmd(id).exec();
            }
            catch (NotModifiedException e) {
                // started by its restart policy meanwhile
            }
        }
    }

    int restartCount(String cluster)
    {
        Integer count = DockerClientFactory.instance().client().inspectContainerCmd(cluster(cluster).getContainerId()).exec().getRestartCount();
        return count == null ? 0 : count;
    }

    /**
     * A read of the gateway's API (reads are open to any address).
     */
    JsonNode get(String path)
    {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gatewayUri().resolve(path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + ": " + response.body());
            }
            return MAPPER.readTree(response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An administrative write, sent from the gateway's own container: without an authenticator the
     * gateway accepts them from loopback only, and a published port is not loopback.
     *
     * @return the HTTP status and the body
     */
    ApiResponse post(String path, String json)
    {
        try {
            ExecResult result = gateway.execInContainer("curl", "-sS", "-X", "POST", "-H", "Content-Type: application/json", "-d", json,
                    "-w", "\n%{http_code}", "http://127.0.0.1:8080" + path);
            String output = result.getStdout();
            int newline = output.lastIndexOf('\n');
            if (result.getExitCode() != 0 || newline < 0) {
                throw new IllegalStateException("curl failed (" + result.getExitCode() + "): " + result.getStderr());
            }
            return new ApiResponse(Integer.parseInt(output.substring(newline + 1).trim()), MAPPER.readTree(output.substring(0, newline)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record ApiResponse(int status, JsonNode body) {}

    /**
     * HEALTHY in the gateway, ACTIVE by its router plugin, and its catalogs announced (until then a
     * query fails with "No nodes available to run query").
     */
    boolean isServing(String cluster)
    {
        JsonNode info = get("/api/v1/clusters/" + cluster);
        if (!info.path("health").path("state").asText().equals("HEALTHY") || !info.path("acceptingQueries").asBoolean()) {
            return false;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:trino://127.0.0.1:" + cluster(cluster).getMappedPort(8080), "fleet-check", null);
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT count(*) FROM tpch.tiny.region").close();
            return true;
        }
        catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close()
    {
        List<AutoCloseable> containers = new ArrayList<>();
        containers.add(gateway::stop);
        clusters.values().forEach(cluster -> containers.add(cluster::stop));
        containers.add(mysql::stop);
        containers.add(network::close);
        closeAll(containers.toArray(AutoCloseable[]::new));
    }
}
