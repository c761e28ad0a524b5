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
package io.switchboard.gateway.history;

import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static io.airlift.testing.ValidationAssertions.assertValidates;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestHistoryConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(HistoryConfig.class)
                .setRetention(new Duration(30, DAYS))
                .setRetentionInterval(new Duration(10, MINUTES))
                .setRetentionBatchSize(1000)
                .setTextSearchWindow(new Duration(1, DAYS)));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "history.retention", "7d",
                        "history.retention-interval", "30s",
                        "history.retention-batch-size", "250",
                        "history.text-search-window", "7d"),
                new HistoryConfig()
                        .setRetention(new Duration(7, DAYS))
                        .setRetentionInterval(new Duration(30, SECONDS))
                        .setRetentionBatchSize(250)
                        .setTextSearchWindow(new Duration(7, DAYS)));
    }

    @Test
    void retentionOfAtLeastAnHour()
    {
        assertValidates(new HistoryConfig().setRetention(new Duration(1, HOURS)));
        assertFailsValidation(new HistoryConfig().setRetention(new Duration(59, MINUTES)), "retention", "must be greater than or equal to 1h", MinDuration.class);
        assertFailsValidation(new HistoryConfig().setRetention(null), "retention", "must not be null", NotNull.class);
    }

    @Test
    void retentionIntervalOfAtLeastASecond()
    {
        assertValidates(new HistoryConfig().setRetentionInterval(new Duration(1, SECONDS)));
        assertFailsValidation(new HistoryConfig().setRetentionInterval(new Duration(999, MILLISECONDS)), "retentionInterval", "must be greater than or equal to 1s", MinDuration.class);
        assertFailsValidation(new HistoryConfig().setRetentionInterval(null), "retentionInterval", "must not be null", NotNull.class);
    }

    @Test
    void retentionBatchSizeBetweenOneAndAHundredThousand()
    {
        assertValidates(new HistoryConfig().setRetentionBatchSize(1));
        assertValidates(new HistoryConfig().setRetentionBatchSize(100_000));
        assertFailsValidation(new HistoryConfig().setRetentionBatchSize(0), "retentionBatchSize", "must be greater than or equal to 1", Min.class);
        assertFailsValidation(new HistoryConfig().setRetentionBatchSize(100_001), "retentionBatchSize", "must be less than or equal to 100000", Max.class);
    }
}
