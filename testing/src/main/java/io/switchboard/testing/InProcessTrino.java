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
package io.switchboard.testing;

import io.trino.Session;
import io.trino.plugin.memory.MemoryPlugin;
import io.trino.plugin.tpch.TpchPlugin;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.security.SystemAccessControl;
import io.trino.testing.DistributedQueryRunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.trino.testing.TestingSession.testSessionBuilder;

/**
 * An in-process Trino coordinator (no workers) with the tpch and memory catalogs, speaking real
 * HTTP, for plugin tests. The listener and access control under test are passed as instances:
 * the in-process server does not read {@code etc/} files.
 */
public final class InProcessTrino
{
    private InProcessTrino() {}

    public static Builder builder()
    {
        return new Builder();
    }

    public static final class Builder
    {
        private final List<EventListener> eventListeners = new ArrayList<>();
        private final List<SystemAccessControl> accessControls = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        public Builder withEventListener(EventListener eventListener)
        {
            eventListeners.add(eventListener);
            return this;
        }

        public Builder withSystemAccessControl(SystemAccessControl accessControl)
        {
            accessControls.add(accessControl);
            return this;
        }

        public Builder withProperty(String key, String value)
        {
            properties.put(key, value);
            return this;
        }

        public DistributedQueryRunner start()
                throws Exception
        {
            Session session = testSessionBuilder()
                    .setCatalog("tpch")
                    .setSchema("tiny")
                    .build();
            DistributedQueryRunner.Builder<?> builder = DistributedQueryRunner.builder(session)
                    .setWorkerCount(0)
                    .setEventListeners(eventListeners)
                    .addExtraProperties(properties);
            if (!accessControls.isEmpty()) {
                builder.setSystemAccessControls(accessControls);
            }
            DistributedQueryRunner runner = builder.build();
            try {
                runner.installPlugin(new TpchPlugin());
                runner.createCatalog("tpch", "tpch", Map.of());
                runner.installPlugin(new MemoryPlugin());
                runner.createCatalog("memory", "memory", Map.of());
                return runner;
            }
            catch (RuntimeException e) {
                runner.close();
                throw e;
            }
        }
    }
}
