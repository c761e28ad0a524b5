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
package io.switchboard.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Starts a Trino server again whenever its process has exited, as systemd's
 * {@code Restart=always} does: what a rolling restart relies on once a drained coordinator exits.
 * The first start is the supervisor's too when the server is not running yet.
 */
public final class TrinoSupervisor
        implements AutoCloseable
{
    private final TrinoServer server;
    private final AtomicBoolean supervising = new AtomicBoolean(true);
    private final Thread thread;

    private TrinoSupervisor(TrinoServer server)
    {
        this.server = requireNonNull(server, "server is null");
        this.thread = Thread.ofPlatform().name("supervisor-" + server.name()).start(this::supervise);
    }

    public static TrinoSupervisor supervise(TrinoServer server)
    {
        return new TrinoSupervisor(server);
    }

    private void supervise()
    {
        while (supervising.get()) {
            try {
                if (!server.isRunning()) {
                    server.start();
                }
                Thread.sleep(200);
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                if (!supervising.get()) {
                    return;
                }
                System.err.println("Supervisor of " + server.name() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Stops supervising; the server itself stays as it is, for its owner to close.
     */
    @Override
    public void close()
    {
        supervising.set(false);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
