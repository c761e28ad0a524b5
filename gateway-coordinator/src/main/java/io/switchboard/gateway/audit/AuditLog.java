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
package io.switchboard.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.store.audit.AuditDao;
import io.switchboard.store.audit.AuditEntry;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes every administrative change to the {@code audit_log} table, before the change is
 * reported as done.
 */
public class AuditLog
{
    private static final Logger log = Logger.get(AuditLog.class);

    private final AuditDao dao;
    private final ObjectMapper mapper;

    @Inject
    public AuditLog(AuditDao dao, ObjectMapper mapper)
    {
        this.dao = requireNonNull(dao, "dao is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    public void record(Actor actor, String action, String target, Object details)
    {
        String json = toJson(details);
        log.info("%s from %s: %s %s %s", actor.name(), actor.remoteAddress(), action, target, json);
        dao.insert(actor.name(), actor.remoteAddress(), action, target, json);
    }

    public List<AuditEntry> latest(int limit, String target)
    {
        return dao.latest(limit, target);
    }

    private String toJson(Object details)
    {
        try {
            return details == null ? null : mapper.writeValueAsString(details);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
