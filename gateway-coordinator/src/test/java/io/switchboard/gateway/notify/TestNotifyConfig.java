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
package io.switchboard.gateway.notify;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.Duration;
import io.switchboard.gateway.notify.NotifyConfig.SmtpSecurity;
import org.junit.jupiter.api.Test;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

final class TestNotifyConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(NotifyConfig.class)
                .setSmtpHost(null)
                .setSmtpPort(587)
                .setSmtpSecurity(SmtpSecurity.STARTTLS)
                .setSmtpUser(null)
                .setSmtpPassword(null)
                .setSender(null)
                .setRecipients(null)
                .setEmailTimeout(new Duration(10, SECONDS))
                .setWebhookUrl(null)
                .setWebhookTimeout(new Duration(10, SECONDS))
                .setReminderInterval(new Duration(1, HOURS))
                .setQueueSize(1000)
                .setSenderLeaseTimeout(new Duration(30, SECONDS)));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                ImmutableMap.<String, String>builder()
                        .put("notify.email.smtp-host", "smtp.example.com")
                        .put("notify.email.smtp-port", "465")
                        .put("notify.email.security", "TLS")
                        .put("notify.email.user", "alerts")
                        .put("notify.email.password", "secret")
                        .put("notify.email.sender", "switchboard@example.com")
                        .put("notify.email.recipients", "ops@example.com, oncall@example.com")
                        .put("notify.email.timeout", "20s")
                        .put("notify.webhook.url", "https://hooks.example.com/T0/B0/X")
                        .put("notify.webhook.timeout", "3s")
                        .put("notify.reminder-interval", "30m")
                        .put("notify.queue-size", "50")
                        .put("notify.sender-lease-timeout", "1m")
                        .buildOrThrow(),
                new NotifyConfig()
                        .setSmtpHost("smtp.example.com")
                        .setSmtpPort(465)
                        .setSmtpSecurity(SmtpSecurity.TLS)
                        .setSmtpUser("alerts")
                        .setSmtpPassword("secret")
                        .setSender("switchboard@example.com")
                        .setRecipients("ops@example.com, oncall@example.com")
                        .setEmailTimeout(new Duration(20, SECONDS))
                        .setWebhookUrl("https://hooks.example.com/T0/B0/X")
                        .setWebhookTimeout(new Duration(3, SECONDS))
                        .setReminderInterval(new Duration(30, MINUTES))
                        .setQueueSize(50)
                        .setSenderLeaseTimeout(new Duration(1, MINUTES)));
    }

    @Test
    void recipientsAreAList()
    {
        assertThat(new NotifyConfig().setRecipients(" ops@example.com,, oncall@example.com ").getRecipients())
                .containsExactly("ops@example.com", "oncall@example.com");
    }

    @Test
    void emailNeedsASenderAndRecipients()
    {
        assertThat(new NotifyConfig().isEmailComplete()).isTrue();
        assertThat(new NotifyConfig().setSmtpHost("smtp.example.com").isEmailComplete()).isFalse();
        assertThat(new NotifyConfig().setSmtpHost("smtp.example.com").setSender("a@example.com").isEmailComplete()).isFalse();
        assertThat(new NotifyConfig().setSmtpHost("smtp.example.com").setSender("a@example.com").setRecipients("b@example.com").isEmailComplete()).isTrue();
        assertThat(new NotifyConfig().setSmtpPassword("secret").isPasswordWithUser()).isFalse();
        assertThat(new NotifyConfig().setReminderInterval(new Duration(100, MILLISECONDS)).isReminderIntervalValid()).isFalse();
        assertThat(new NotifyConfig().setReminderInterval(new Duration(0, SECONDS)).isReminderIntervalValid()).isTrue();
    }
}
