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
package io.switchboard.gateway.replica;

import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertDeprecatedEquivalence;
import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static org.assertj.core.api.Assertions.assertThat;

final class TestReplicaConfig
{
    @Test
    void defaultsToTheHostName()
            throws Exception
    {
        assertThat(new ReplicaConfig().getId()).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertRecordedDefaults(recordDefaults(ReplicaConfig.class).setId(InetAddress.getLocalHost().getHostName()));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(Map.of("gateway.id", "gateway-eu-1"), new ReplicaConfig().setId("gateway-eu-1"));
    }

    @Test
    void theRoutingPropertyOfEarlierReleasesStillWorks()
    {
        assertDeprecatedEquivalence(ReplicaConfig.class,
                Map.of("gateway.id", "gateway-eu-1"),
                Map.of("routing.gateway-id", "gateway-eu-1"));
    }

    @Test
    void refusesEmptyAndOverlongIds()
    {
        assertFailsValidation(new ReplicaConfig().setId(""), "id", "must be 1-200 characters, not starting with a space", Pattern.class);
        assertFailsValidation(new ReplicaConfig().setId(" gateway"), "id", "must be 1-200 characters, not starting with a space", Pattern.class);
        assertFailsValidation(new ReplicaConfig().setId("g".repeat(201)), "id", "must be 1-200 characters, not starting with a space", Pattern.class);
    }
}
