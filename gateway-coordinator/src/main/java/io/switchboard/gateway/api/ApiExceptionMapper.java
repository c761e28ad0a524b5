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

import io.airlift.log.Logger;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.http.HttpException;

import java.util.Map;

import static jakarta.ws.rs.core.Response.Status.BAD_REQUEST;
import static jakarta.ws.rs.core.Response.Status.INTERNAL_SERVER_ERROR;
import static jakarta.ws.rs.core.Response.Status.REQUEST_ENTITY_TOO_LARGE;
import static jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE;

/**
 * Every error of the API is a JSON {@code {"error": "..."}}: a {@link GatewayException} gets the
 * status of its reason, a response written by the web layer (authentication) passes through, Jersey's own (unknown path, method or media type) get a
 * message, and anything unexpected becomes a 500 that names no class, SQL or value of ours: the
 * details go to the gateway's log.
 */
public class ApiExceptionMapper
        implements ExceptionMapper<Throwable>
{
    private static final Logger log = Logger.get(ApiExceptionMapper.class);

    @Override
    public Response toResponse(Throwable failure)
    {
        return switch (failure) {
            case GatewayException refused -> error(status(refused.reason()), refused.getMessage());
            case WebApplicationException web when web.getResponse().hasEntity() -> web.getResponse();
            case Throwable _ when tooLarge(failure) -> error(REQUEST_ENTITY_TOO_LARGE.getStatusCode(), "The request body is larger than the API accepts");
            case WebApplicationException web -> error(web.getResponse().getStatus(), web.getResponse().getStatusInfo().getReasonPhrase());
            default -> {
                log.error(failure, "The API failed unexpectedly");
                yield error(INTERNAL_SERVER_ERROR.getStatusCode(), "Internal error of the gateway; its log has the details");
            }
        };
    }

    private static int status(GatewayException.Reason reason)
    {
        return switch (reason) {
            case INVALID_REQUEST -> BAD_REQUEST.getStatusCode();
            case FORBIDDEN -> Response.Status.FORBIDDEN.getStatusCode();
            case NOT_FOUND -> Response.Status.NOT_FOUND.getStatusCode();
            case CONFLICT -> Response.Status.CONFLICT.getStatusCode();
            case UNSUPPORTED_MEDIA_TYPE -> Response.Status.UNSUPPORTED_MEDIA_TYPE.getStatusCode();
            case UNAVAILABLE -> SERVICE_UNAVAILABLE.getStatusCode();
        };
    }

    /**
     * A body over the size limit fails while Jersey reads it, wrapped in Jersey's exceptions.
     */
    private static boolean tooLarge(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() == REQUEST_ENTITY_TOO_LARGE.getStatusCode()) {
                return true;
            }
        }
        return false;
    }

    private static Response error(int status, String message)
    {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", message))
                .build();
    }
}
