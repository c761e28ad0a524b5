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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
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
 * with dropped entries. A generation is therefore one array allocated once, of fixed-width slots
 * that each hold an id's length, its cluster (an index into the names seen) and its characters:
 * a lookup reads one slot, not a node, a string and its bytes. Ids that do not fit a slot (longer
 * than a Trino query id, or not Latin-1) go into a hash map beside it.
 */
public final class RecentQueryClusters
{
    /**
     * Bytes of a slot: the id's length (0 for a free slot), the cluster's index in four bytes,
     * and the id's characters, as many as a Trino query id has.
     */
    private static final int SLOT_BYTES = 32;
    private static final int ID_OFFSET = 5;
    private static final int MAX_ID_LENGTH = SLOT_BYTES - ID_OFFSET;
    private static final VarHandle INT_VIEW = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

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
        putIndex(queryId, clusterIndex(requireNonNull(clusterName, "clusterName is null")));
    }

    public synchronized Optional<String> get(String queryId)
    {
        int cluster = young.get(queryId);
        if (cluster < 0) {
            cluster = old.get(queryId);
            if (cluster < 0) {
                return Optional.empty();
            }
            putIndex(queryId, cluster);
        }
        return Optional.of(clusterNames.get(cluster));
    }

    private void putIndex(String queryId, int cluster)
    {
        if (young.put(queryId, cluster) && young.size() >= generationSize) {
            Generation emptied = old;
            emptied.clear();
            old = young;
            young = emptied;
        }
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
        private final byte[] slots;
        private final int slotBits;
        private final int mask;
        private final Map<String, Integer> unfitting = new HashMap<>();
        private int slotsUsed;

        Generation(int size)
        {
            int slotCount = Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1;
            this.slots = new byte[slotCount * SLOT_BYTES];
            this.slotBits = Integer.numberOfTrailingZeros(slotCount);
            this.mask = slotCount - 1;
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
            int offset = find(queryId) * SLOT_BYTES;
            INT_VIEW.set(slots, offset + 1, cluster);
            if (slots[offset] != 0) {
                return false;
            }
            for (int i = 0; i < queryId.length(); i++) {
                slots[offset + ID_OFFSET + i] = (byte) queryId.charAt(i);
            }
            slots[offset] = (byte) queryId.length();
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
            int offset = find(queryId) * SLOT_BYTES;
            return slots[offset] == 0 ? -1 : (int) INT_VIEW.get(slots, offset + 1);
        }

        void clear()
        {
            for (int offset = 0; offset < slots.length; offset += SLOT_BYTES) {
                slots[offset] = 0;
            }
            unfitting.clear();
            slotsUsed = 0;
        }

        /**
         * The slot holding the query id, or the free slot where it belongs.
         */
        private int find(String queryId)
        {
            // Fibonacci hashing: the ids of one coordinator are sequential, and so are their hash
            // codes, which would fill runs of adjacent slots that linear probing then walks
            int slot = (queryId.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - slotBits);
            while (slots[slot * SLOT_BYTES] != 0 && !holds(slot * SLOT_BYTES, queryId)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private boolean holds(int offset, String queryId)
        {
            if (slots[offset] != queryId.length()) {
                return false;
            }
            for (int i = 0; i < queryId.length(); i++) {
                if (slots[offset + ID_OFFSET + i] != (byte) queryId.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean fitsSlot(String queryId)
        {
            if (queryId.isEmpty() || queryId.length() > MAX_ID_LENGTH) {
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
