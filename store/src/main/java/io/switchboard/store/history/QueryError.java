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
package io.switchboard.store.history;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Why a query failed: Trino's error code, name and type (USER_ERROR, INTERNAL_ERROR, ...) and message.
 */
public record QueryError(int code, String name, String type, Optional<String> message)
{
    public QueryError
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
    }
}
