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
package io.switchboard.plugin.presto;

import com.facebook.presto.common.ErrorCode;
import com.facebook.presto.spi.eventlistener.QueryCompletedEvent;
import com.facebook.presto.spi.eventlistener.QueryContext;
import com.facebook.presto.spi.eventlistener.QueryCreatedEvent;
import com.facebook.presto.spi.eventlistener.QueryFailureInfo;
import com.facebook.presto.spi.eventlistener.QueryStatistics;
import com.facebook.presto.spi.resourceGroups.ResourceGroupId;
import io.switchboard.plugin.events.EventFields;
import io.switchboard.store.history.QueryError;
import io.switchboard.store.history.QueryEvent;
import io.switchboard.store.history.QueryMetrics;
import io.switchboard.store.history.TableName;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * PrestoDB's query events as the rows the Trino plugin writes. PrestoDB names the written bytes
 * {@code writtenOutputBytes}; its errors carry the same code, name and type as Trino's.
 */
final class PrestoEventMapper
{
    private final EventFields fields;

    PrestoEventMapper(EventFields fields)
    {
        this.fields = requireNonNull(fields, "fields is null");
    }

    QueryEvent created(QueryCreatedEvent event)
    {
        QueryContext context = event.getContext();
        return new QueryEvent(
                event.getMetadata().getQueryId(),
                fields.clusterName(),
                EventFields.QUEUED,
                context.getUser(),
                context.getSource(),
                EventFields.clientTags(context.getClientTags()),
                context.getCatalog(),
                context.getSchema(),
                fields.queryText(event.getMetadata().getQuery()),
                context.getResourceGroupId().map(ResourceGroupId::toString),
                event.getCreateTime(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of());
    }

    QueryEvent completed(QueryCompletedEvent event)
    {
        QueryContext context = event.getContext();
        return new QueryEvent(
                event.getMetadata().getQueryId(),
                fields.clusterName(),
                event.getMetadata().getQueryState(),
                context.getUser(),
                context.getSource(),
                EventFields.clientTags(context.getClientTags()),
                context.getCatalog(),
                context.getSchema(),
                fields.queryText(event.getMetadata().getQuery()),
                context.getResourceGroupId().map(ResourceGroupId::toString),
                event.getCreateTime(),
                Optional.of(event.getExecutionStartTime()),
                Optional.of(event.getEndTime()),
                event.getFailureInfo().map(PrestoEventMapper::error),
                Optional.of(metrics(event.getStatistics())),
                event.getIoMetadata().getInputs().stream()
                        .map(input -> new TableName(input.getCatalogName(), input.getSchema(), input.getTable()))
                        .distinct()
                        .toList());
    }

    private static QueryError error(QueryFailureInfo failure)
    {
        ErrorCode code = failure.getErrorCode();
        return new QueryError(code.getCode(), code.getName(), code.getType().name(), failure.getFailureMessage());
    }

    private static QueryMetrics metrics(QueryStatistics statistics)
    {
        return new QueryMetrics(
                statistics.getQueuedTime().toMillis(),
                statistics.getWallTime().toMillis(),
                statistics.getCpuTime().toMillis(),
                statistics.getPeakUserMemoryBytes(),
                statistics.getTotalRows(),
                statistics.getTotalBytes(),
                statistics.getOutputRows(),
                statistics.getOutputBytes(),
                statistics.getWrittenOutputBytes());
    }
}
