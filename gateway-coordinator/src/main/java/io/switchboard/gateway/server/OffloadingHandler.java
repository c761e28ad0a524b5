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
package io.switchboard.gateway.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Runs a blocking handler (the servlet API) on a pool thread, so that the server as a whole stays
 * non-blocking: Jetty then runs the proxy on the thread that read the request instead of
 * handing every request to another thread.
 */
final class OffloadingHandler
        extends Handler.Wrapper
{
    private final Executor executor;

    OffloadingHandler(Handler blocking, Executor executor)
    {
        super(blocking);
        this.executor = requireNonNull(executor, "executor is null");
    }

    @Override
    public InvocationType getInvocationType()
    {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
    {
        try {
            executor.execute(() -> handleBlocking(request, response, callback));
        }
        catch (RejectedExecutionException e) {
            Response.writeError(request, response, callback, 503, "The gateway is overloaded");
        }
        return true;
    }

    private void handleBlocking(Request request, Response response, Callback callback)
    {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        }
        catch (Throwable t) {
            Response.writeError(request, response, callback, t);
        }
    }
}
