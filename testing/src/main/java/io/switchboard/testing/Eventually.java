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
import java.util.function.BooleanSupplier;

/**
 * Waits for something that happens asynchronously (a health check, a refresh, a write) instead
 * of sleeping a fixed time.
 */
public final class Eventually
{
    private Eventually() {}

    /**
     * Runs the assertion until it passes; after the timeout, fails with its last failure.
     */
    public static void assertEventually(Duration timeout, Runnable assertion)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            }
            catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Not true within " + timeout + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting", e);
            }
        }
    }

    /**
     * Waits until the condition holds; after the timeout, fails saying so.
     */
    public static void awaitTrue(BooleanSupplier condition, Duration timeout)
    {
        assertEventually(timeout, () -> {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("condition not met");
            }
        });
    }
}
