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
package io.switchboard.plugin.router;

import io.airlift.log.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the coordinator process the way Trino ends a worker after a graceful shutdown:
 * {@code System.exit(0)}, which runs the server's shutdown hooks (Airlift's life-cycle
 * manager stops every component, this plugin included). The exit runs on a thread of its own:
 * the hooks stop the heartbeat thread, which must not be the one waiting in {@code exit}.
 */
public class ProcessExit
{
    private static final Logger log = Logger.get(ProcessExit.class);

    private final AtomicBoolean exiting = new AtomicBoolean();

    public void exit(String reason)
    {
        if (!exiting.compareAndSet(false, true)) {
            return;
        }
        log.info("Exiting the coordinator process: %s", reason);
        Thread thread = new Thread(() -> System.exit(0), "switchboard-router-exit");
        thread.setDaemon(false);
        thread.start();
    }
}
