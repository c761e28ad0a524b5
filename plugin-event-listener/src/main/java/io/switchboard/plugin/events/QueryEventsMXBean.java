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
package io.switchboard.plugin.events;

/**
 * The listener's counters over JMX, as {@code io.switchboard.plugin.events:type=QueryEvents,name=<cluster>}.
 */
public interface QueryEventsMXBean
{
    /** Events received from Trino since start. */
    long getReceived();

    /** Events waiting in memory for the writer. */
    long getQueued();

    /** Events written to MySQL directly. */
    long getWritten();

    /** Events appended to the spool on local disk. */
    long getSpooled();

    /** Spooled events written to MySQL later. */
    long getReplayed();

    /** Attempts to write to MySQL that failed (the events went to, or stayed in, the spool). */
    long getFailedWrites();

    /** Events MySQL refused for their content (logged with their query id). */
    long getRejectedEvents();

    /** Events whose query text was dropped to keep memory and the spool within their caps. */
    long getQueryTextsDropped();

    /** Spool segments that could not be decoded, moved to the spool's quarantine directory (see docs/event-listener.md). */
    long getQuarantinedSegments();

    /** Bytes in the spool. */
    long getSpoolBytes();

    /** Spool segment files. */
    long getSpoolSegments();

    /** Average time a Trino thread spent in the listener, in nanoseconds. */
    double getListenerAverageNanos();

    /** Longest time a Trino thread spent in the listener, in nanoseconds. */
    long getListenerMaxNanos();
}
