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
package io.switchboard.gateway.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestRecentQueryClusters
{
    @Test
    void remembersTheClusterOfAQuery()
    {
        RecentQueryClusters clusters = new RecentQueryClusters(1000);
        clusters.put("q1", "adhoc-1");
        clusters.put("q2", "adhoc-2");
        clusters.put("q1", "adhoc-3");

        assertThat(clusters.get("q1")).contains("adhoc-3");
        assertThat(clusters.get("q2")).contains("adhoc-2");
        assertThat(clusters.get("unknown")).isEmpty();
    }

    @Test
    void keepsTheMostRecentQueriesOnly()
    {
        RecentQueryClusters clusters = new RecentQueryClusters(1000);
        IntStream.range(0, 10_000).forEach(i -> clusters.put("q" + i, "adhoc-1"));

        long remembered = IntStream.range(0, 10_000).filter(i -> clusters.get("q" + i).isPresent()).count();
        assertThat(remembered).isBetween(500L, 1000L);
        // the newest half-capacity is always kept, the oldest queries are gone
        assertThat(IntStream.range(9_500, 10_000)).allMatch(i -> clusters.get("q" + i).isPresent());
        assertThat(IntStream.range(0, 8_000)).noneMatch(i -> clusters.get("q" + i).isPresent());
    }

    @Test
    void aQueryThatIsStillLookedUpOutlivesNewerOnes()
    {
        RecentQueryClusters clusters = new RecentQueryClusters(1000);
        clusters.put("long-running", "etl-1");
        for (int i = 0; i < 10_000; i++) {
            clusters.put("q" + i, "adhoc-1");
            if (i % 400 == 0) {
                assertThat(clusters.get("long-running")).contains("etl-1");
            }
        }

        assertThat(clusters.get("long-running")).contains("etl-1");
        assertThat(clusters.get("q0")).isEmpty();
    }

    @Test
    void concurrentWritersLoseNothingRecent()
            throws Exception
    {
        RecentQueryClusters clusters = new RecentQueryClusters(100_000);
        try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                String prefix = writer + "-";
                String cluster = "cluster-" + writer;
                writers.add(executor.submit(() -> IntStream.range(0, 20_000).forEach(i -> clusters.put(prefix + i, cluster))));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        }

        // 80,000 queries fit into a capacity of 100,000, also across the generation that filled up
        // meanwhile; every tenth is checked, so that the checks' own moves to the young generation
        // (at most 8,000 onto its 30,000) cannot fill it again
        assertThat(IntStream.range(0, 4)).allMatch(writer -> IntStream.iterate(0, i -> i < 20_000, i -> i + 10)
                .allMatch(i -> clusters.get(writer + "-" + i).equals(Optional.of("cluster-" + writer))));
    }

    @Test
    void remembersIdsLongerThanATrinoQueryIdOrOutsideLatin1()
    {
        RecentQueryClusters clusters = new RecentQueryClusters(1000);
        String longId = "20261202_153132_05678_m5jrs_and_a_suffix_beyond_a_slot";
        String nonLatin1 = "query_\u03a9";
        clusters.put(longId, "adhoc-1");
        clusters.put(nonLatin1, "adhoc-2");
        // a Latin-1 id whose low bytes equal the other one's must not collide with it
        clusters.put("query_\u00a9", "adhoc-3");

        assertThat(clusters.get(longId)).contains("adhoc-1");
        assertThat(clusters.get(nonLatin1)).contains("adhoc-2");
        assertThat(clusters.get("query_\u00a9")).contains("adhoc-3");
        assertThat(clusters.get(longId.substring(0, 27))).isEmpty();

        IntStream.range(0, 1000).forEach(i -> clusters.put("q" + i, "adhoc-4"));
        assertThat(clusters.get(longId)).isEmpty();
        assertThat(clusters.get(nonLatin1)).isEmpty();
    }

    @Test
    void keepsEveryClusterNameApart()
    {
        RecentQueryClusters clusters = new RecentQueryClusters(100_000);
        IntStream.range(0, 30_000).forEach(i -> clusters.put("20261202_000000_%05d_abcde".formatted(i), "cluster-" + (i % 300)));

        assertThat(IntStream.range(0, 30_000))
                .allMatch(i -> clusters.get("20261202_000000_%05d_abcde".formatted(i)).equals(Optional.of("cluster-" + (i % 300))));
        assertThat(clusters.get("20261202_000000_30000_abcde")).isEmpty();
    }

    @Test
    void rejectsACapacityBelowTwo()
    {
        assertThatThrownBy(() -> new RecentQueryClusters(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 2");
    }
}
