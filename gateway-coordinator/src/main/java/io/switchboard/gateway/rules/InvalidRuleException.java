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

import static java.util.Objects.requireNonNull;

/**
 * A rule the gateway refuses: its condition does not compile or type-check, or it names facts or
 * functions that do not exist, or it fails on every query.
 */
public class InvalidRuleException
        extends RuntimeException
{
    private final String ruleName;

    public InvalidRuleException(String ruleName, String message)
    {
        super("Rule '%s': %s".formatted(requireNonNull(ruleName, "ruleName is null"), requireNonNull(message, "message is null")));
        this.ruleName = ruleName;
    }

    public String ruleName()
    {
        return ruleName;
    }
}
