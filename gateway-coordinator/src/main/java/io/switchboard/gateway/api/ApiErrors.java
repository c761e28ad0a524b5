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

import java.util.function.Supplier;

import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.api.GatewayException.Reason.UNAVAILABLE;

/**
 * Helpers of the API's resources: reads of MySQL that fail as 503, and the {@code limit} parameter.
 */
public final class ApiErrors
{
    private static final int DEFAULT_LIMIT = 100;

    private ApiErrors() {}

    /**
     * Reads what only MySQL has; while MySQL cannot answer, the caller gets a 503 that says so
     * instead of a bare server error.
     */
    public static <T> T fromMysql(String what, Supplier<T> read)
    {
        try {
            return read.get();
        }
        catch (GatewayException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new GatewayException(UNAVAILABLE, "Cannot read " + what + " from MySQL: " + e.getMessage());
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
        throw new GatewayException(INVALID_REQUEST, "limit must be an integer between 1 and " + max + ", was '" + value + "'");
    }
}
