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

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestPrestoDbServer
{
    @Test
    void runsPrestoDbInItsOwnProcessAndRemovesItWhenClosed()
            throws Exception
    {
        Path home;
        long pid;
        try (PrestoDbServer server = PrestoDbServer.start("harness")) {
            System.out.printf("PrestoDB 0.287 started in %s ms%n", server.startTime().toMillis());
            home = server.home();
            pid = server.pid();
            assertThat(server.startTime()).isLessThan(Duration.ofMinutes(4));
            assertThat(PrestoDbCli.execute(server.baseUri(), "harness-user", "SELECT count(*), min(node_version) FROM tpch.tiny.nation CROSS JOIN system.runtime.nodes"))
                    .isEqualTo("\"25\",\"0.287-b8952fa\"\n");
            assertThat(server.serverLog()).contains("======== SERVER STARTED ========");
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(home).doesNotExist();
        // PrestoDB's classes (and its old Guava and Jackson) are only in the server's own lib/
        assertThatThrownBy(() -> Class.forName("com.facebook.presto.server.PrestoServer")).isInstanceOf(ClassNotFoundException.class);
    }
}
