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
package io.switchboard.store.plugin;

import io.airlift.log.Logger;
import io.switchboard.store.SchemaMigrations;
import io.switchboard.store.SchemaStatus;

import javax.sql.DataSource;

import static java.util.Objects.requireNonNull;

/**
 * Whether the Switchboard database has the schema a plugin needs. Only the gateway migrates the
 * schema (at start, or {@code bin/switchboard migrate}); a plugin asks this before it reads or
 * writes, and while the answer is no it keeps what it has instead (the event listener its
 * spool, the router its last known state). The schema is checked at every call until it is
 * there, never again afterwards; one warning says what is missing and what to do, and one line
 * says when it is there.
 */
public final class SchemaGate
{
    private static final Logger log = Logger.get(SchemaGate.class);

    private final DataSource dataSource;
    private final String plugin;
    private final String meanwhile;
    private volatile boolean open;
    private boolean waiting;

    /**
     * @param plugin who waits, as in "the router plugin of cluster adhoc-1"
     * @param meanwhile what it does until the schema is there, as in "its events are kept in the spool until then"
     */
    public SchemaGate(DataSource dataSource, String plugin, String meanwhile)
    {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.meanwhile = requireNonNull(meanwhile, "meanwhile is null");
    }

    /**
     * @return true once the schema is at the version this plugin needs, or newer
     * @throws RuntimeException when MySQL cannot be reached: the caller reports it as it reports its other MySQL failures
     */
    public boolean isOpen()
    {
        if (open) {
            return true;
        }
        synchronized (this) {
            if (open) {
                return true;
            }
            SchemaStatus status = SchemaMigrations.check(dataSource);
            if (status.upToDate()) {
                open = true;
                if (waiting) {
                    log.info("The Switchboard database %s now: %s goes on", status.describe(), plugin);
                }
                return true;
            }
            if (!waiting) {
                waiting = true;
                log.warn("The Switchboard database %s, and %s needs schema version %s: start the gateway of this release (it migrates the schema when it starts) or run bin/switchboard migrate; %s",
                        status.describe(), plugin, status.requiredVersion(), meanwhile);
            }
            return false;
        }
    }
}
