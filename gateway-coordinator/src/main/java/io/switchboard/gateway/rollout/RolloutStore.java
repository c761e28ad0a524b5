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
package io.switchboard.gateway.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.store.rollout.RollingRestartDao;
import io.switchboard.store.rollout.RollingRestartRecord;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.switchboard.store.rollout.RolloutState.RUNNING;
import static java.util.Objects.requireNonNull;

/**
 * Rolling restarts in MySQL, so that every replica shows them and one resumes what another left.
 * This replica owns the ones it runs under a lease that every save renews.
 */
public class RolloutStore
{
    private final RollingRestartDao dao;
    private final ObjectMapper mapper;
    private final String owner;
    private final Duration lease;

    @Inject
    public RolloutStore(RollingRestartDao dao, ObjectMapper mapper, GatewayReplica replica, RolloutConfig config)
    {
        this.dao = requireNonNull(dao, "dao is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        // two replicas may share a host name: the suffix tells their leases apart
        this.owner = replica.id() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.lease = Duration.ofMillis(config.getLeaseTimeout().toMillis());
    }

    String owner()
    {
        return owner;
    }

    /**
     * @return false when a rolling restart of the group is RUNNING already
     */
    boolean start(Rollout rollout)
    {
        return dao.start(record(rollout), owner, lease);
    }

    /**
     * Writes the progress and renews the lease.
     *
     * @return false when another replica took the rollout over
     */
    boolean save(Rollout rollout)
    {
        return dao.save(record(rollout), owner, lease);
    }

    void release(Rollout rollout)
    {
        dao.release(rollout.routingGroup(), owner);
    }

    /**
     * The RUNNING rollouts whose replica released them or stopped renewing its lease, now owned by this one.
     */
    List<Rollout> claimAbandoned()
    {
        return dao.claimAbandoned(owner, lease).stream()
                .map(restart -> Rollout.resume(view(restart)))
                .collect(toImmutableList());
    }

    Optional<RolloutView> latest(String routingGroup)
    {
        return dao.get(routingGroup).map(this::withOwner);
    }

    private RolloutView view(RollingRestartRecord restart)
    {
        try {
            return mapper.readValue(restart.progress(), RolloutView.class);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException("Unreadable progress of the rolling restart of routing group " + restart.routingGroup(), e);
        }
    }

    private RolloutView withOwner(RollingRestartRecord restart)
    {
        Rollout rollout = Rollout.resume(view(restart));
        return rollout.view(restart.owner());
    }

    private RollingRestartRecord record(Rollout rollout)
    {
        RolloutView view = rollout.view(Optional.of(owner));
        String progress;
        try {
            progress = mapper.writeValueAsString(view);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return new RollingRestartRecord(
                view.routingGroup(),
                view.state(),
                view.currentCluster(),
                view.reason(),
                view.startedBy(),
                view.startedAt(),
                view.finishedAt(),
                view.state() == RUNNING ? Optional.of(owner) : Optional.empty(),
                progress);
    }
}
