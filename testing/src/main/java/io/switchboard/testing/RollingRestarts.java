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

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of a rolling restart as {@code GET /api/v1/routing-groups/{group}/rolling-restart}
 * shows it.
 */
public final class RollingRestarts
{
    private RollingRestarts() {}

    /**
     * The restart SUCCEEDED, and every cluster of the group is DONE with a coordinator started anew.
     */
    public static void assertEveryClusterRestarted(JsonNode finished)
    {
        assertThat(finished.path("state").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("clusters").size()).as(finished.toString()).isPositive();
        for (JsonNode cluster : finished.path("clusters")) {
            assertThat(cluster.path("step").asText()).as(cluster.toString()).isEqualTo("DONE");
            assertThat(cluster.path("coordinatorStartedAfter").asText()).as(cluster.toString())
                    .isNotEqualTo(cluster.path("coordinatorStartedBefore").asText());
        }
    }
}
