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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;

import java.util.Optional;

public class SecurityConfig
{
    private String passwordFile;

    public Optional<String> getPasswordFile()
    {
        return Optional.ofNullable(passwordFile);
    }

    @Config("security.password-file")
    @ConfigDescription("File of user:bcrypt-hash:role lines (role admin or viewer); when set, the API requires HTTP Basic authentication")
    public SecurityConfig setPasswordFile(String passwordFile)
    {
        this.passwordFile = passwordFile;
        return this;
    }
}
