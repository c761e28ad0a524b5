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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.InetAddress;
import java.util.Map;

import static jakarta.ws.rs.core.Response.Status.FORBIDDEN;

/**
 * Who may change the gateway's configuration. With no authenticator configured, administrative
 * writes are accepted only from loopback addresses.
 */
public final class AdminAccess
{
    private AdminAccess() {}

    /**
     * @return the actor to record in the audit log
     */
    public static String checkCanWrite(HttpServletRequest request)
    {
        String remote = request.getRemoteAddr();
        if (!isLoopback(remote)) {
            throw new WebApplicationException(Response.status(FORBIDDEN)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "Administrative changes are accepted only from the gateway's own host (loopback) " +
                            "while no authenticator is configured; request came from " + remote))
                    .build());
        }
        return "anonymous@" + remote;
    }

    private static boolean isLoopback(String address)
    {
        try {
            return address != null && InetAddress.ofLiteral(address).isLoopbackAddress();
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }
}
