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
package io.switchboard.store.status;

/**
 * The drain state a cluster's router plugin reports in {@code cluster_status.state}.
 */
public enum ClusterState
{
    /** Accepting new queries. */
    ACTIVE,
    /** A drain was requested: new queries are rejected, queries already running finish. */
    SHUTTING_DOWN,
    /** Draining and nothing is running or queued any more: safe to stop or restart. */
    DRAINED,
}
