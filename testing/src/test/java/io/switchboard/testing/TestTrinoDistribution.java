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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

final class TestTrinoDistribution
{
    @Test
    void serversStartedInParallelOnAFreshMachineShareOneInstallation(@TempDir Path cache)
    {
        TrinoDistribution distribution = TrinoDistribution.fromBuild();
        String version = distribution.version();
        // as TestGatewayProxy starts its clusters: each thread with its own instance, nothing unpacked yet
        List<CompletableFuture<Path>> installations = IntStream.range(0, 3)
                .mapToObj(_ -> CompletableFuture.supplyAsync(() -> distribution.withCacheDirectory(cache).installation()))
                .toList();

        List<Path> paths = installations.stream().map(CompletableFuture::join).toList();

        assertThat(paths).containsOnly(cache.resolve("trino-server-" + version));
        assertThat(paths.getFirst().resolve("bin/launcher")).isExecutable();
        assertThat(paths.getFirst().resolve("plugin/trino-tpch-" + version)).isDirectory();
        assertThat(paths.getFirst().resolve("plugin/trino-memory-" + version)).isDirectory();
        assertThat(cache).isDirectoryNotContaining("glob:**/*.staging-*");
    }
}
