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
package io.switchboard.plugin.router;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * The router plugin's own properties; those it shares with the event listener are in
 * {@link io.switchboard.store.plugin.MemberClusterConfig} and {@link io.switchboard.store.plugin.MysqlConfig}.
 */
public class RouterConfig
{
    private Duration heartbeatInterval = new Duration(2, SECONDS);
    private Path drainFile;
    private boolean exitWhenDrained;
    private String gatewayUrl;
    private Duration transactionIdleTimeout = new Duration(6, MINUTES);
    private Duration transactionDrainTimeout = new Duration(30, MINUTES);

    @NotNull
    @MinDuration("100ms")
    @MaxDuration("5m")
    public Duration getHeartbeatInterval()
    {
        return heartbeatInterval;
    }

    @Config("switchboard.heartbeat-interval")
    @ConfigDescription("How often the coordinator reports its status to MySQL and reads the drain request")
    public RouterConfig setHeartbeatInterval(Duration heartbeatInterval)
    {
        this.heartbeatInterval = heartbeatInterval;
        return this;
    }

    public Optional<Path> getDrainFile()
    {
        return Optional.ofNullable(drainFile);
    }

    @Config("switchboard.drain-file")
    @ConfigDescription("While this file exists the coordinator drains, whatever MySQL says: a drain switch for operators on the host")
    public RouterConfig setDrainFile(String drainFile)
    {
        this.drainFile = drainFile == null ? null : Paths.get(drainFile);
        return this;
    }

    public boolean isExitWhenDrained()
    {
        return exitWhenDrained;
    }

    @Config("switchboard.exit-when-drained")
    @ConfigDescription("Exit the coordinator process (status 0) once a drain requested while it was serving has completed, for a supervisor to restart it")
    public RouterConfig setExitWhenDrained(boolean exitWhenDrained)
    {
        this.exitWhenDrained = exitWhenDrained;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getTransactionIdleTimeout()
    {
        return transactionIdleTimeout;
    }

    @Config("switchboard.transaction-idle-timeout")
    @ConfigDescription("A drain does not wait for a transaction that no gateway sent a statement of for this long: Trino aborts it by then " +
            "(its transaction.idle-timeout plus transaction.idle-check-interval, 5m + 1m by default)")
    public RouterConfig setTransactionIdleTimeout(Duration transactionIdleTimeout)
    {
        this.transactionIdleTimeout = transactionIdleTimeout;
        return this;
    }

    @NotNull
    public Duration getTransactionDrainTimeout()
    {
        return transactionDrainTimeout;
    }

    @Config("switchboard.transaction-drain-timeout")
    @ConfigDescription("A drain waits at most this long for the transactions open through the gateway to commit or roll back before it reports DRAINED")
    public RouterConfig setTransactionDrainTimeout(Duration transactionDrainTimeout)
    {
        this.transactionDrainTimeout = transactionDrainTimeout;
        return this;
    }

    public Optional<String> getGatewayUrl()
    {
        return Optional.ofNullable(gatewayUrl);
    }

    @Config("switchboard.gateway-url")
    @ConfigDescription("Address of the Switchboard gateway, named in the error a rejected query gets")
    public RouterConfig setGatewayUrl(String gatewayUrl)
    {
        this.gatewayUrl = gatewayUrl;
        return this;
    }
}
