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

import com.google.common.collect.ImmutableMap;
import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestAdmissionConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(AdmissionConfig.class)
                .setEnabled(false)
                .setMaxRunningPerUser(null)
                .setUserMaxRunning(null)
                .setSourceMaxRunning(null)
                .setMaxRunningPerGroup(null)
                .setGroupMaxRunning(null)
                .setClassMaxRunning(null)
                .setClusterCapacity(null)
                .setClusterCapacities(null)
                .setMaxQueuedPerGroup(1000)
                .setMaxQueueWait(new Duration(30, MINUTES))
                .setClientTimeout(new Duration(5, MINUTES)));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                ImmutableMap.<String, String>builder()
                        .put("admission.enabled", "true")
                        .put("admission.max-running-per-user", "5")
                        .put("admission.user-max-running", "etl_bot:20, alice:2")
                        .put("admission.source-max-running", "airflow:30")
                        .put("admission.max-running-per-group", "30")
                        .put("admission.group-max-running", "etl:50")
                        .put("admission.class-max-running", "reports:5,backfill:2")
                        .put("admission.cluster-capacity", "10")
                        .put("admission.cluster-capacities", "big-1:40")
                        .put("admission.max-queued-per-group", "200")
                        .put("admission.max-queue-wait", "2m")
                        .put("admission.client-timeout", "30s")
                        .buildOrThrow(),
                new AdmissionConfig()
                        .setEnabled(true)
                        .setMaxRunningPerUser(5)
                        .setUserMaxRunning("etl_bot:20,alice:2")
                        .setSourceMaxRunning("airflow:30")
                        .setMaxRunningPerGroup(30)
                        .setGroupMaxRunning("etl:50")
                        .setClassMaxRunning("reports:5, backfill:2")
                        .setClusterCapacity(10)
                        .setClusterCapacities("big-1:40")
                        .setMaxQueuedPerGroup(200)
                        .setMaxQueueWait(new Duration(2, MINUTES))
                        .setClientTimeout(new Duration(30, SECONDS)));
    }

    @Test
    void limitsPerName()
    {
        assertThat(new AdmissionConfig().setUserMaxRunning("etl_bot:20, alice : 2").getUserMaxRunning())
                .isEqualTo(Map.of("etl_bot", 20, "alice", 2));
        assertThatThrownBy(() -> new AdmissionConfig().setGroupMaxRunning("etl:0"))
                .hasMessageContaining("admission.group-max-running: 'etl:0' is not name:limit");
        assertThatThrownBy(() -> new AdmissionConfig().setClusterCapacities("big-1"))
                .hasMessageContaining("admission.cluster-capacities: 'big-1' is not name:limit");
        assertThatThrownBy(() -> new AdmissionConfig().setMaxRunningPerUser(0))
                .hasMessageContaining("admission.max-running-per-user must be at least 1");
    }
}
