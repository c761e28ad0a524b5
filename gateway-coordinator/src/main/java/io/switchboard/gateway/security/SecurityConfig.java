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
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;

import static java.util.concurrent.TimeUnit.SECONDS;

public class SecurityConfig
{
    private String passwordFile;
    private Duration passwordFileRefreshPeriod = new Duration(5, SECONDS);
    private long passwordCacheMaxSize = 1000;

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

    @NotNull
    @MinDuration("0s")
    public Duration getPasswordFileRefreshPeriod()
    {
        return passwordFileRefreshPeriod;
    }

    @Config("security.password-file.refresh-period")
    @ConfigDescription("How often the password file is looked at, and read again if it changed")
    public SecurityConfig setPasswordFileRefreshPeriod(Duration passwordFileRefreshPeriod)
    {
        this.passwordFileRefreshPeriod = passwordFileRefreshPeriod;
        return this;
    }

    @Min(0)
    public long getPasswordCacheMaxSize()
    {
        return passwordCacheMaxSize;
    }

    @Config("security.password-cache.max-size")
    @ConfigDescription("How many verified user and password pairs are remembered, sparing bcrypt on later requests (0: none)")
    public SecurityConfig setPasswordCacheMaxSize(long passwordCacheMaxSize)
    {
        this.passwordCacheMaxSize = passwordCacheMaxSize;
        return this;
    }
}
