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

import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.audit.AuditLog;
import io.switchboard.store.cluster.ClusterDao;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.ClusterRecord;
import io.switchboard.store.cluster.DesiredState;

import static io.switchboard.gateway.api.GatewayException.Reason.CONFLICT;
import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.util.Objects.requireNonNull;

/**
 * Every change to the clusters table goes through here, whichever API it came from: validated,
 * written to the audit log, and applied to this gateway's routing at once.
 */
public class ClusterAdmin
{
    private final ClusterRegistry registry;
    private final ClusterDao dao;
    private final AuditLog auditLog;
    private final boolean allowLinkLocal;

    @Inject
    public ClusterAdmin(ClusterRegistry registry, AuditLog auditLog, ClusterConfig config)
    {
        this.allowLinkLocal = config.isAllowLinkLocalAddresses();
        this.registry = requireNonNull(registry, "registry is null");
        this.dao = registry.dao();
        this.auditLog = requireNonNull(auditLog, "auditLog is null");
    }

    public ClusterRecord add(ClusterSpec spec, Actor actor)
    {
        ClusterRecord record = validated(spec, DesiredState.ACTIVE);
        dao.nameIgnoringCase(record.name())
                .filter(existing -> !existing.equals(record.name()))
                .ifPresent(existing -> {
                    throw new GatewayException(CONFLICT, "Cluster '" + existing + "' already exists and names may not differ only in case; choose another name than '" + record.name() + "'");
                });
        if (!dao.insert(record)) {
            throw new GatewayException(CONFLICT, "Cluster '" + record.name() + "' already exists; use PUT /api/v1/clusters/" + record.name() + " to change it");
        }
        auditLog.record(actor, "ADD_CLUSTER", record.name(), record);
        registry.refresh();
        return record;
    }

    public ClusterRecord update(String name, ClusterSpec spec, Actor actor)
    {
        if (spec.name() != null && !spec.name().equals(name)) {
            throw new GatewayException(INVALID_REQUEST, "The name in the body ('" + spec.name() + "') differs from the name in the path ('" + name + "'); clusters cannot be renamed");
        }
        ClusterRecord existing = existing(name);
        ClusterSpec named = new ClusterSpec(name, spec.proxyUrl(), spec.externalUrl(), spec.routingGroup(), spec.active(), spec.weight(), spec.kind());
        ClusterRecord record = validated(named, existing.desiredState(), existing.kind());
        if (!dao.update(record)) {
            throw unknownCluster(name);
        }
        auditLog.record(actor, "UPDATE_CLUSTER", name, ImmutableMap.of("before", existing, "after", record));
        registry.refresh();
        return record;
    }

    /**
     * Adds the cluster, or updates it when the name exists (presto-gateway semantics).
     */
    public ClusterRecord addOrUpdate(ClusterSpec spec, Actor actor)
    {
        ClusterRecord record = validated(spec, DesiredState.ACTIVE);
        return dao.get(record.name()).isPresent() ? update(record.name(), spec, actor) : add(spec, actor);
    }

    public void delete(String name, Actor actor)
    {
        ClusterRecord existing = existing(name);
        if (!dao.delete(name)) {
            throw unknownCluster(name);
        }
        auditLog.record(actor, "DELETE_CLUSTER", name, existing);
        registry.refresh();
    }

    public void setActive(String name, boolean active, Actor actor)
    {
        ClusterRecord existing = existing(name);
        ClusterRecord changed = new ClusterRecord(existing.name(), existing.proxyUrl(), existing.externalUrl(), existing.routingGroup(), active, existing.desiredState(), existing.weight(), existing.kind());
        if (!dao.update(changed)) {
            throw unknownCluster(name);
        }
        auditLog.record(actor, active ? "ACTIVATE_CLUSTER" : "DEACTIVATE_CLUSTER", name, null);
        registry.refresh();
    }

    public void setDesiredState(String name, DesiredState desiredState, Actor actor)
    {
        existing(name);
        if (!dao.setDesiredState(name, desiredState)) {
            throw unknownCluster(name);
        }
        auditLog.record(actor, desiredState == DesiredState.DRAINING ? "DRAIN_CLUSTER" : "UNDRAIN_CLUSTER", name, null);
        registry.refresh();
    }

    private ClusterRecord existing(String name)
    {
        return dao.get(name).orElseThrow(() -> unknownCluster(name));
    }

    private ClusterRecord validated(ClusterSpec spec, DesiredState desiredState)
    {
        return validated(spec, desiredState, ClusterKind.TRINO);
    }

    private ClusterRecord validated(ClusterSpec spec, DesiredState desiredState, ClusterKind defaultKind)
    {
        try {
            return spec.toRecord(desiredState, defaultKind, allowLinkLocal);
        }
        catch (IllegalArgumentException e) {
            throw new GatewayException(INVALID_REQUEST, e.getMessage());
        }
    }

    public static GatewayException unknownCluster(String name)
    {
        return new GatewayException(NOT_FOUND, "Unknown cluster '" + name + "'");
    }
}
