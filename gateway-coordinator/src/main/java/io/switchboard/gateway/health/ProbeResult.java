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
package io.switchboard.gateway.health;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What one probe of a cluster found.
 */
record ProbeResult(Outcome outcome, String reason, Duration latency)
{
    enum Outcome
    {
        /** Answered /v1/info, started, accepted the forwarded headers. */
        OK,
        /** Connection refused or reset: the process is not there, no need to wait for more failures. */
        UNREACHABLE,
        /** Answered, but in a way that makes queries through the gateway fail (HTTP 406 to forwarded headers). */
        MISCONFIGURED,
        /** Timed out, answered an error, or still starting: counts towards the failure threshold. */
        FAILED,
    }

    ProbeResult
    {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(latency, "latency is null");
    }
}
