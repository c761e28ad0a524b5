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

import com.google.common.base.Splitter;
import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;
import java.util.Optional;

import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.SECONDS;

public class NotifyConfig
{
    public enum SmtpSecurity
    {
        /** Plain SMTP: only for a relay on a trusted network. */
        NONE,
        /** Upgrade the connection with STARTTLS; fail if the server does not offer it. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS,
    }

    private String smtpHost;
    private int smtpPort = 587;
    private SmtpSecurity smtpSecurity = SmtpSecurity.STARTTLS;
    private String smtpUser;
    private String smtpPassword;
    private String sender;
    private String recipients;
    private Duration emailTimeout = new Duration(10, SECONDS);
    private String webhookUrl;
    private Duration webhookTimeout = new Duration(10, SECONDS);
    private Duration reminderInterval = new Duration(1, HOURS);
    private int queueSize = 1000;
    private Duration senderLeaseTimeout = new Duration(30, SECONDS);

    public Optional<String> getSmtpHost()
    {
        return Optional.ofNullable(smtpHost).filter(host -> !host.isBlank());
    }

    @Config("notify.email.smtp-host")
    @ConfigDescription("SMTP server for notification emails; unset sends no email")
    public NotifyConfig setSmtpHost(String smtpHost)
    {
        this.smtpHost = smtpHost;
        return this;
    }

    @Min(1)
    @Max(65535)
    public int getSmtpPort()
    {
        return smtpPort;
    }

    @Config("notify.email.smtp-port")
    public NotifyConfig setSmtpPort(int smtpPort)
    {
        this.smtpPort = smtpPort;
        return this;
    }

    @NotNull
    public SmtpSecurity getSmtpSecurity()
    {
        return smtpSecurity;
    }

    @Config("notify.email.security")
    @ConfigDescription("Transport security to the SMTP server: STARTTLS (required), TLS (SMTPS) or NONE")
    public NotifyConfig setSmtpSecurity(SmtpSecurity smtpSecurity)
    {
        this.smtpSecurity = smtpSecurity;
        return this;
    }

    public Optional<String> getSmtpUser()
    {
        return Optional.ofNullable(smtpUser).filter(user -> !user.isBlank());
    }

    @Config("notify.email.user")
    @ConfigDescription("SMTP user; unset sends without authentication")
    public NotifyConfig setSmtpUser(String smtpUser)
    {
        this.smtpUser = smtpUser;
        return this;
    }

    public Optional<String> getSmtpPassword()
    {
        return Optional.ofNullable(smtpPassword);
    }

    @Config("notify.email.password")
    @ConfigSecuritySensitive
    @ConfigDescription("SMTP password (never logged)")
    public NotifyConfig setSmtpPassword(String smtpPassword)
    {
        this.smtpPassword = smtpPassword;
        return this;
    }

    public Optional<String> getSender()
    {
        return Optional.ofNullable(sender).filter(address -> !address.isBlank());
    }

    @Config("notify.email.sender")
    @ConfigDescription("From address of notification emails")
    public NotifyConfig setSender(String sender)
    {
        this.sender = sender;
        return this;
    }

    public List<String> getRecipients()
    {
        return recipients == null ? List.of() : Splitter.on(',').trimResults().omitEmptyStrings().splitToList(recipients);
    }

    @Config("notify.email.recipients")
    @ConfigDescription("Comma-separated addresses that receive notification emails")
    public NotifyConfig setRecipients(String recipients)
    {
        this.recipients = recipients;
        return this;
    }

    @NotNull
    @MinDuration("100ms")
    @MaxDuration("5m")
    public Duration getEmailTimeout()
    {
        return emailTimeout;
    }

    @Config("notify.email.timeout")
    @ConfigDescription("Connect, read and write timeout of one email delivery")
    public NotifyConfig setEmailTimeout(Duration emailTimeout)
    {
        this.emailTimeout = emailTimeout;
        return this;
    }

    public Optional<@Pattern(regexp = "https?://.+", message = "must be an http:// or https:// URL") String> getWebhookUrl()
    {
        return Optional.ofNullable(webhookUrl).filter(url -> !url.isBlank());
    }

    @Config("notify.webhook.url")
    @ConfigSecuritySensitive
    @ConfigDescription("URL that receives a JSON POST (Slack-compatible \"text\" plus structured fields) per notification; never logged, as such URLs are secrets")
    public NotifyConfig setWebhookUrl(String webhookUrl)
    {
        this.webhookUrl = webhookUrl;
        return this;
    }

    @NotNull
    @MinDuration("100ms")
    @MaxDuration("5m")
    public Duration getWebhookTimeout()
    {
        return webhookTimeout;
    }

    @Config("notify.webhook.timeout")
    @ConfigDescription("Connect and response timeout of one webhook delivery")
    public NotifyConfig setWebhookTimeout(Duration webhookTimeout)
    {
        this.webhookTimeout = webhookTimeout;
        return this;
    }

    @NotNull
    public Duration getReminderInterval()
    {
        return reminderInterval;
    }

    @Config("notify.reminder-interval")
    @ConfigDescription("How often a reminder is sent while a cluster stays unhealthy or misconfigured; 0s sends none")
    public NotifyConfig setReminderInterval(Duration reminderInterval)
    {
        this.reminderInterval = reminderInterval;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    @MaxDuration("10m")
    public Duration getSenderLeaseTimeout()
    {
        return senderLeaseTimeout;
    }

    @Config("notify.sender-lease-timeout")
    @ConfigDescription("One gateway replica sends the health notifications of the fleet; when it stops renewing its lease (every third of this), another takes over after this long")
    public NotifyConfig setSenderLeaseTimeout(Duration senderLeaseTimeout)
    {
        this.senderLeaseTimeout = senderLeaseTimeout;
        return this;
    }

    @Min(1)
    @Max(1_000_000)
    public int getQueueSize()
    {
        return queueSize;
    }

    @Config("notify.queue-size")
    @ConfigDescription("Notifications waiting per channel; beyond this new ones are dropped (and logged)")
    public NotifyConfig setQueueSize(int queueSize)
    {
        this.queueSize = queueSize;
        return this;
    }

    @AssertTrue(message = "notify.email.smtp-host needs notify.email.sender and notify.email.recipients")
    public boolean isEmailComplete()
    {
        return getSmtpHost().isEmpty() || (getSender().isPresent() && !getRecipients().isEmpty());
    }

    @AssertTrue(message = "notify.email.password needs notify.email.user")
    public boolean isPasswordWithUser()
    {
        return getSmtpPassword().isEmpty() || getSmtpUser().isPresent();
    }

    @AssertTrue(message = "notify.reminder-interval must be 0s (no reminders) or at least 1s")
    public boolean isReminderIntervalValid()
    {
        return reminderInterval.toMillis() == 0 || reminderInterval.toMillis() >= 1000;
    }
}
