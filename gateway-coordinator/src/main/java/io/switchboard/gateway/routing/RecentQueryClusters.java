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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The clusters of the most recent queries, at most {@code capacity} of them, in two generations
 * of half the capacity each. New queries go into the young generation; when it is full, it
 * becomes the old one and the old one is emptied to be the next young one. A query found in the
 * old generation moves to the young one, so a query that is still looked at outlives the queries
 * submitted after it.
 * <p>
 * Every new query makes a put, and entries live for seconds: as objects (a hash map's node and
 * the id's string), each one was copied by several young collections and then promoted, which
 * made submits cost ten times the collection time of polls and filled the old generation
 * with dropped entries. A generation is therefore a table of arrays allocated once: the id's
 * characters in a fixed-width slot and the cluster as an index into the names seen. Ids that do
 * not fit a slot (longer than a Trino query id, or not Latin-1) go into a hash map beside it.
 */
public final class RecentQueryClusters
{
    /**
     * Bytes of a query id in a slot; a Trino query id has 27 characters.
     */
    private static final int SLOT_BYTES = 32;

    private final int generationSize;
    private final List<String> clusterNames = new ArrayList<>();
    private final Map<String, Integer> clusterIndexes = new HashMap<>();
    private Generation young;
    private Generation old;

    public RecentQueryClusters(int capacity)
    {
        checkArgument(capacity >= 2, "capacity must be at least 2");
        this.generationSize = capacity / 2;
        this.young = new Generation(generationSize);
        this.old = new Generation(generationSize);
    }

    public synchronized void put(String queryId, String clusterName)
    {
        requireNonNull(queryId, "queryId is null");
        if (young.put(queryId, clusterIndex(requireNonNull(clusterName, "clusterName is null"))) && young.size() >= generationSize) {
            Generation emptied = old;
            emptied.clear();
            old = young;
            young = emptied;
        }
    }

    public synchronized Optional<String> get(String queryId)
    {
        int cluster = young.get(queryId);
        if (cluster < 0) {
            cluster = old.get(queryId);
            if (cluster < 0) {
                return Optional.empty();
            }
            put(queryId, clusterNames.get(cluster));
        }
        return Optional.of(clusterNames.get(cluster));
    }

    private int clusterIndex(String clusterName)
    {
        Integer index = clusterIndexes.get(clusterName);
        if (index == null) {
            index = clusterNames.size();
            clusterNames.add(clusterName);
            clusterIndexes.put(clusterName, index);
        }
        return index;
    }

    /**
     * An open-addressing table with linear probing, at most half full.
     */
    private static final class Generation
    {
        private final byte[] ids;
        // the id's length in its slot, 0 for a free slot
        private final byte[] lengths;
        private final int[] clusters;
        private final int mask;
        private final Map<String, Integer> unfitting = new HashMap<>();
        private int slotsUsed;

        Generation(int size)
        {
            int slots = Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1;
            this.ids = new byte[slots * SLOT_BYTES];
            this.lengths = new byte[slots];
            this.clusters = new int[slots];
            this.mask = slots - 1;
        }

        int size()
        {
            return slotsUsed + unfitting.size();
        }

        /**
         * Whether the query id is new in this generation.
         */
        boolean put(String queryId, int cluster)
        {
            if (!fitsSlot(queryId)) {
                return unfitting.put(queryId, cluster) == null;
            }
            int slot = find(queryId);
            clusters[slot] = cluster;
            if (lengths[slot] != 0) {
                return false;
            }
            int offset = slot * SLOT_BYTES;
            for (int i = 0; i < queryId.length(); i++) {
                ids[offset + i] = (byte) queryId.charAt(i);
            }
            lengths[slot] = (byte) queryId.length();
            slotsUsed++;
            return true;
        }

        /**
         * The cluster index of the query id, or -1.
         */
        int get(String queryId)
        {
            if (!fitsSlot(queryId)) {
                return unfitting.getOrDefault(queryId, -1);
            }
            int slot = find(queryId);
            return lengths[slot] == 0 ? -1 : clusters[slot];
        }

        void clear()
        {
            Arrays.fill(lengths, (byte) 0);
            unfitting.clear();
            slotsUsed = 0;
        }

        /**
         * The slot holding the query id, or the free slot where it belongs.
         */
        private int find(String queryId)
        {
            int hash = queryId.hashCode();
            int slot = (hash ^ (hash >>> 16)) & mask;
            while (lengths[slot] != 0 && !holds(slot, queryId)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private boolean holds(int slot, String queryId)
        {
            if (lengths[slot] != queryId.length()) {
                return false;
            }
            int offset = slot * SLOT_BYTES;
            for (int i = 0; i < queryId.length(); i++) {
                if (ids[offset + i] != (byte) queryId.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean fitsSlot(String queryId)
        {
            if (queryId.isEmpty() || queryId.length() > SLOT_BYTES) {
                return false;
            }
            for (int i = 0; i < queryId.length(); i++) {
                if (queryId.charAt(i) > 0xFF) {
                    return false;
                }
            }
            return true;
        }
    }
}
