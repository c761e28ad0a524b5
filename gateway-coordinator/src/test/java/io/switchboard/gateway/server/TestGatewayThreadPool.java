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

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

public class TestGatewayThreadPool
{
    private GatewayThreadPool pool;

    @BeforeEach
    public void startPool()
            throws Exception
    {
        pool = new GatewayThreadPool(8, 2);
        pool.start();
    }

    @AfterEach
    public void stopPool()
            throws Exception
    {
        pool.stop();
    }

    @Test
    public void resumesConnectionOnCallingThreadButDispatchesOneResumedInsideAnother()
            throws Exception
    {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> outer = new AtomicReference<>();
        CompletableFuture<Thread> inner = new CompletableFuture<>();
        pool.execute(new RunnableConnection(() -> {
            outer.set(Thread.currentThread());
            pool.execute(new RunnableConnection(() -> inner.complete(Thread.currentThread())));
        }));

        assertThat(outer.get()).isSameAs(caller);
        Thread innerThread = inner.get(10, SECONDS);
        assertThat(innerThread).isNotSameAs(caller);
        assertThat(innerThread.getName()).startsWith("gateway-http");

        // the guard is per resume: the next connection on this thread runs inline again
        AtomicReference<Thread> next = new AtomicReference<>();
        pool.execute(new RunnableConnection(() -> next.set(Thread.currentThread())));
        assertThat(next.get()).isSameAs(caller);
    }

    @Test
    public void dispatchesOtherJobs()
            throws Exception
    {
        CompletableFuture<Thread> job = new CompletableFuture<>();
        pool.execute(() -> job.complete(Thread.currentThread()));
        assertThat(job.get(10, SECONDS)).isNotSameAs(Thread.currentThread());
    }

    private static final class RunnableConnection
            extends AbstractConnection
            implements Runnable
    {
        private final Runnable task;

        RunnableConnection(Runnable task)
        {
            super(new ByteArrayEndPoint(), Runnable::run);
            this.task = task;
        }

        @Override
        public void onFillable() {}

        @Override
        public void run()
        {
            task.run();
        }
    }
}
