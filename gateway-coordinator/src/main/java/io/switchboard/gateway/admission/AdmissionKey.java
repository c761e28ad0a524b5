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

import io.switchboard.store.cluster.ClusterKind;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Whose query it is, as far as the limits and the order of the queue go.
 *
 * @param source the client's source ({@code X-Trino-Source}), empty when it named none
 * @param priority the query's priority in its group's queue, from the routing rules: higher is
 * served first, 0 when no rule set one
 * @param admissionClass the admission class a routing rule put the query in, whose limit
 * ({@code admission.class-max-running}) it counts against
 * @param protocol the engine whose protocol the client speaks: only its clusters can take the query
 */
public record AdmissionKey(String user, String source, String group, int priority, Optional<String> admissionClass, ClusterKind protocol)
{
    public AdmissionKey
    {
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(group, "group is null");
        requireNonNull(admissionClass, "admissionClass is null");
        requireNonNull(protocol, "protocol is null");
    }

    /**
     * A query of a Trino client.
     */
    public AdmissionKey(String user, String source, String group, int priority, Optional<String> admissionClass)
    {
        this(user, source, group, priority, admissionClass, ClusterKind.TRINO);
    }

    /**
     * A query no rule gave a priority or a class.
     */
    public AdmissionKey(String user, String source, String group)
    {
        this(user, source, group, 0, Optional.empty());
    }
}
