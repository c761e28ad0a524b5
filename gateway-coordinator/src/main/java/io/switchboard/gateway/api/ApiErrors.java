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

import static jakarta.ws.rs.core.Response.Status.BAD_REQUEST;
import static jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE;

/**
 * The one shape of API errors: an HTTP status and {@code {"error": "<message for a person>"}}.
 */
public final class ApiErrors
{
    private static final int DEFAULT_LIMIT = 100;

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

    /**
     * The {@code limit} query parameter of a listing: 100 when absent, else an integer from 1 to {@code max}.
     */
    public static int limit(String value, int max)
    {
        if (value == null || value.isBlank()) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        }
        catch (NumberFormatException e) {
            // reported below, like a number out of range
        }
        throw apiError(BAD_REQUEST, "limit must be an integer between 1 and " + max + ", was '" + value + "'");
    }
}
