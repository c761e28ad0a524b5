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

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.function.Supplier;

import static jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE;

/**
 * The one shape of API errors: an HTTP status and {@code {"error": "<message for a person>"}}.
 */
public final class ApiErrors
{
    private ApiErrors() {}

    public static WebApplicationException apiError(Response.Status status, String message)
    {
        return new WebApplicationException(message, Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", message))
                .build());
    }

    /**
     * Reads what only MySQL has; while MySQL cannot answer, the caller gets a 503 that says so
     * instead of a bare server error.
     */
    public static <T> T fromMysql(String what, Supplier<T> read)
    {
        try {
            return read.get();
        }
        catch (WebApplicationException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw apiError(SERVICE_UNAVAILABLE, "Cannot read " + what + " from MySQL: " + e.getMessage());
        }
    }
}
