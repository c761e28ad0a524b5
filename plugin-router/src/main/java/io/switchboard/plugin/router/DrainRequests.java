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

import io.airlift.log.Logger;
import io.switchboard.store.cluster.DesiredState;
import io.switchboard.store.status.ClusterStatusDao;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static io.switchboard.store.cluster.DesiredState.DRAINING;
import static java.util.Objects.requireNonNull;

/**
 * Whether someone asked this coordinator to drain: the gateway through {@code clusters.desired_state},
 * or an operator on the host through the drain file. When MySQL cannot be read, the last answer it
 * gave stands (ACTIVE before the first one), so an outage neither starts nor ends a drain.
 */
final class DrainRequests
{
    private static final Logger log = Logger.get(DrainRequests.class);

    private final String clusterName;
    private final ClusterStatusDao dao;
    private final Optional<Path> drainFile;
    private volatile boolean lastKnownDraining;
    private volatile boolean desiredStateRead;
    private boolean mysqlFailing;

    DrainRequests(String clusterName, ClusterStatusDao dao, Optional<Path> drainFile)
    {
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.drainFile = requireNonNull(drainFile, "drainFile is null");
    }

    /**
     * Answers from memory and the local file system only.
     */
    boolean drainRequested()
    {
        return lastKnownDraining || drainFile.map(Files::exists).orElse(false);
    }

    /**
     * Whether {@code clusters.desired_state} was read at least once: before that, no drain
     * requested only means "not known yet".
     */
    boolean desiredStateRead()
    {
        return desiredStateRead;
    }

    /**
     * Reads {@code clusters.desired_state}; may wait for MySQL up to its timeouts.
     */
    void refreshFromMysql()
    {
        try {
            Optional<DesiredState> desiredState = dao.desiredState(clusterName);
            lastKnownDraining = desiredState.map(DRAINING::equals).orElse(false);
            desiredStateRead = true;
            if (mysqlFailing) {
                mysqlFailing = false;
                log.info("MySQL is reachable again; cluster %s desired state is %s", clusterName, desiredState.map(Enum::name).orElse("unknown (not registered)"));
            }
        }
        catch (RuntimeException e) {
            if (!mysqlFailing) {
                mysqlFailing = true;
                log.warn("Cannot read the desired state of cluster %s from MySQL, keeping the last known one (%s): %s",
                        clusterName, lastKnownDraining ? "DRAINING" : "ACTIVE", e.getMessage());
            }
        }
    }
}
