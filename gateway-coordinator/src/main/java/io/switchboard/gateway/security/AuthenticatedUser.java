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
package io.switchboard.gateway.security;

import static java.util.Objects.requireNonNull;

/**
 * A user the gateway knows, and how it learnt who they are.
 */
public record AuthenticatedUser(String name, Role role, Method method)
{
    public enum Method
    {
        PASSWORD,
        BEARER_TOKEN,
        SINGLE_SIGN_ON,
    }

    public AuthenticatedUser
    {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(method, "method is null");
    }
}
