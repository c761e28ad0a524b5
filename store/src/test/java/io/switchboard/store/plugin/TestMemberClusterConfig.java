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

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static io.airlift.testing.ValidationAssertions.assertValidates;

final class TestMemberClusterConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(MemberClusterConfig.class)
                .setClusterName(null));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(Map.of("switchboard.cluster-name", "adhoc-1"), new MemberClusterConfig().setClusterName("adhoc-1"));
    }

    @Test
    void validation()
    {
        assertValidates(new MemberClusterConfig().setClusterName("etl_2.eu-west"));
        assertFailsValidation(new MemberClusterConfig(), "clusterName", "must not be null", NotNull.class);
        assertFailsValidation(new MemberClusterConfig().setClusterName("-adhoc"), "clusterName", "must be 1-128 letters, digits, '_', '.' or '-'", Pattern.class);
        assertFailsValidation(new MemberClusterConfig().setClusterName("a".repeat(129)), "clusterName", "must be 1-128 letters, digits, '_', '.' or '-'", Pattern.class);
    }
}
