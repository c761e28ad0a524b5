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
package io.switchboard.store.history;

/**
 * What a completed query cost. Times are milliseconds; wall time runs from creation to end.
 */
public record QueryMetrics(
        long queuedTimeMs,
        long wallTimeMs,
        long cpuTimeMs,
        long peakMemoryBytes,
        long inputRows,
        long inputBytes,
        long outputRows,
        long outputBytes,
        long writtenBytes) {}
