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
package io.switchboard.gateway.api;

import static java.util.Objects.requireNonNull;

/**
 * A request the gateway refuses or cannot serve, with a message for a person. Services throw it
 * without knowing HTTP; {@link ApiExceptionMapper} answers it with a status and
 * {@code {"error": "<message>"}}.
 */
public class GatewayException
        extends RuntimeException
{
    public enum Reason
    {
        INVALID_REQUEST,
        FORBIDDEN,
        NOT_FOUND,
        CONFLICT,
        UNSUPPORTED_MEDIA_TYPE,
        UNAVAILABLE,
    }

    private final Reason reason;

    public GatewayException(Reason reason, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason()
    {
        return reason;
    }
}
