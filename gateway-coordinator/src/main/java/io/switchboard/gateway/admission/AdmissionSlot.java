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
package io.switchboard.gateway.admission;

import com.google.common.base.Ticker;
import io.switchboard.gateway.cluster.Cluster;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One query the gateway admitted: it counts against its user's, its group's and its cluster's
 * limits until it is released (its last page went to the client, it was cancelled, or its client
 * went quiet for {@code admission.client-timeout}).
 */
public final class AdmissionSlot
{
    private final AdmissionKey key;
    private final Ticker ticker;
    // guarded by the controller: a submission refused by one cluster moves to another
    private Cluster cluster;
    // when the query was sent to its current cluster
    private long admittedNanos;
    private volatile String queryId;
    private volatile long lastSeenNanos;
    private boolean released;

    AdmissionSlot(AdmissionKey key, Cluster cluster, Ticker ticker)
    {
        this.key = requireNonNull(key, "key is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.lastSeenNanos = ticker.read();
        this.admittedNanos = lastSeenNanos;
    }

    public AdmissionKey key()
    {
        return key;
    }

    public synchronized Cluster cluster()
    {
        return cluster;
    }

    synchronized void moveTo(Cluster cluster)
    {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.admittedNanos = ticker.read();
    }

    /**
     * When the query was sent to its current cluster.
     */
    synchronized long admittedNanos()
    {
        return admittedNanos;
    }

    public Optional<String> queryId()
    {
        return Optional.ofNullable(queryId);
    }

    void bind(String queryId)
    {
        this.queryId = queryId;
    }

    /**
     * The client sent a request of the query: it is still there.
     */
    public void touch()
    {
        lastSeenNanos = ticker.read();
    }

    long lastSeenNanos()
    {
        return lastSeenNanos;
    }

    boolean released()
    {
        return released;
    }

    void markReleased()
    {
        released = true;
    }
}
