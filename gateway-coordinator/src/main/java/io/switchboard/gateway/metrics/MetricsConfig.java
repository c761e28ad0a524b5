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
package io.switchboard.gateway.metrics;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;

public class MetricsConfig
{
    private boolean authenticationRequired;

    public boolean isAuthenticationRequired()
    {
        return authenticationRequired;
    }

    @Config("metrics.authentication-required")
    @ConfigDescription("Whether GET /metrics needs a user of the password file (any role), like the API's reads; by default Prometheus scrapes it without credentials (it shows counts and names, no secrets)")
    public MetricsConfig setAuthenticationRequired(boolean authenticationRequired)
    {
        this.authenticationRequired = authenticationRequired;
        return this;
    }
}
