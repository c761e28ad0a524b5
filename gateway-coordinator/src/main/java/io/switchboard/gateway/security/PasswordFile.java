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

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Users of the API, one per line: {@code user:bcrypt-hash[:role]}, like Trino's password file
 * with an optional role ({@code admin} or {@code viewer}, default viewer). Blank lines and lines
 * starting with {@code #} are ignored.
 */
public final class PasswordFile
{
    private final Map<String, Entry> users;

    private record Entry(String hash, Role role) {}

    private PasswordFile(Map<String, Entry> users)
    {
        this.users = ImmutableMap.copyOf(requireNonNull(users, "users is null"));
    }

    public static PasswordFile load(Path file)
    {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read security.password-file " + file, e);
        }
        ImmutableMap.Builder<String, Entry> users = ImmutableMap.builder();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":");
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("$2")) {
                // never echo the line: it holds a password hash
                throw new IllegalArgumentException("security.password-file " + file + " line " + number + " is not user:bcrypt-hash[:role]");
            }
            Role role = parts.length == 3 ? parseRole(parts[2], file, number) : Role.VIEWER;
            users.put(parts[0], new Entry(parts[1], role));
        }
        return new PasswordFile(users.buildKeepingLast());
    }

    private static Role parseRole(String role, Path file, int number)
    {
        try {
            return Role.valueOf(role.toUpperCase(Locale.ENGLISH));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("security.password-file " + file + " line " + number + ": role must be admin or viewer");
        }
    }

    /**
     * @return the user's role if the password matches
     */
    public Optional<Role> authenticate(String user, String password)
    {
        Entry entry = users.get(user);
        if (entry == null) {
            return Optional.empty();
        }
        boolean verified = BCrypt.verifyer().verify(password.toCharArray(), entry.hash().toCharArray()).verified;
        return verified ? Optional.of(entry.role()) : Optional.empty();
    }
}
