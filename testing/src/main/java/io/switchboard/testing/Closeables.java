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

/**
 * Stops what a test started, in the given order, also when some fail to stop or never started.
 */
public final class Closeables
{
    private Closeables() {}

    /**
     * Closes each one that is not null; one that fails to close does not keep the rest open.
     */
    public static void closeAll(AutoCloseable... closeables)
    {
        for (AutoCloseable closeable : closeables) {
            if (closeable != null) {
                try {
                    closeable.close();
                }
                catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }
}
