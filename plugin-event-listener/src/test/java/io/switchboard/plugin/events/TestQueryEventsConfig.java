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
package io.switchboard.plugin.events;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.GIGABYTE;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestQueryEventsConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(QueryEventsConfig.class)
                .setSpoolDirectory("switchboard-events-spool")
                .setSpoolMaxSize(DataSize.of(1, GIGABYTE))
                .setQueueSize(10_000)
                .setBatchSize(500)
                .setFlushInterval(new Duration(1, SECONDS))
                .setRetryInterval(new Duration(5, SECONDS))
                .setMaxQueryTextLength(1_000_000));
    }

    @Test
    void explicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("switchboard.spool.directory", "/var/spool/switchboard")
                .put("switchboard.spool.max-size", "10GB")
                .put("switchboard.queue-size", "1000")
                .put("switchboard.batch-size", "100")
                .put("switchboard.flush-interval", "250ms")
                .put("switchboard.retry-interval", "10s")
                .put("switchboard.query-text.max-length", "4000")
                .buildOrThrow();
        assertFullMapping(properties, new QueryEventsConfig()
                .setSpoolDirectory("/var/spool/switchboard")
                .setSpoolMaxSize(DataSize.of(10, GIGABYTE))
                .setQueueSize(1000)
                .setBatchSize(100)
                .setFlushInterval(new Duration(250, MILLISECONDS))
                .setRetryInterval(new Duration(10, SECONDS))
                .setMaxQueryTextLength(4000));
    }
}
