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
package io.switchboard.gateway.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Optional;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY;

/**
 * What the gateway does when no cluster of a group accepts queries: route to the fallback group
 * (by default {@code routing.default-group}), or, for an isolated group, refuse the query.
 */
@JsonInclude(NON_EMPTY)
public record GroupPolicy(Optional<String> fallback, boolean isolated)
{
    public GroupPolicy
    {
        fallback = fallback == null ? Optional.empty() : fallback.filter(group -> !group.isBlank());
        if (isolated && fallback.isPresent()) {
            throw new IllegalArgumentException("An isolated group has no fallback");
        }
    }

    @JsonCreator
    public static GroupPolicy fromJson(@JsonProperty("fallback") Optional<String> fallback, @JsonProperty("isolated") Boolean isolated)
    {
        return new GroupPolicy(fallback, Boolean.TRUE.equals(isolated));
    }
}
