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
package io.switchboard.store;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link SchemaMigrations#check} found.
 *
 * @param version the version the database's schema is at; empty when it has none yet
 * @param requiredVersion the version this code needs: that of the newest migration it ships
 * @param upToDate whether the schema is at the required version or newer
 */
public record SchemaStatus(Optional<String> version, String requiredVersion, boolean upToDate)
{
    public SchemaStatus
    {
        requireNonNull(version, "version is null");
        requireNonNull(requiredVersion, "requiredVersion is null");
    }

    /**
     * "has no schema yet" or "is at version 7", to follow "The Switchboard database".
     */
    public String describe()
    {
        return version.map(current -> "is at schema version " + current).orElse("has no schema yet");
    }
}
