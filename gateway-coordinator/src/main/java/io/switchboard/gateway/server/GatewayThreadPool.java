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

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's threads. After a response that completed on another thread than the one that read
 * its request, which is every proxied response, Jetty hands the connection to the pool to look
 * for a pipelined request. That woke a pool thread per request only for a read that finds nothing:
 * the connection now runs on the thread that completed the response, which is not blocked by
 * it: the handlers do not block (the API servlet is dispatched by {@link OffloadingHandler}). A
 * connection resumed while this thread already runs one is dispatched as before, so that a
 * response completing another connection's response cannot chain resumes into a deep stack.
 */
final class GatewayThreadPool
        extends QueuedThreadPool
{
    // set and cleared, never removed: removing allocated a new thread-local entry per request
    private final ThreadLocal<Boolean> resumingConnection = ThreadLocal.withInitial(() -> false);

    GatewayThreadPool(int maxThreads, int minThreads)
    {
        super(maxThreads, minThreads);
        setName("gateway-http");
    }

    @Override
    public void execute(Runnable job)
    {
        if (job instanceof Connection && !resumingConnection.get()) {
            resumingConnection.set(true);
            try {
                job.run();
            }
            finally {
                resumingConnection.set(false);
            }
            return;
        }
        super.execute(job);
    }
}
