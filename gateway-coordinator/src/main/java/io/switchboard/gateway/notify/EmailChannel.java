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

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Date;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends each notification as a plain-text email through SMTP. The password stays in this object:
 * it is never logged nor put in an error message.
 */
final class EmailChannel
        implements NotificationChannel
{
    private final Session session;
    private final String host;
    private final InternetAddress sender;
    private final InternetAddress[] recipients;
    private final Optional<String> user;
    private final Optional<String> password;

    EmailChannel(NotifyConfig config)
    {
        this.host = config.getSmtpHost().orElseThrow();
        this.sender = address(config.getSender().orElseThrow());
        this.recipients = config.getRecipients().stream().map(EmailChannel::address).toArray(InternetAddress[]::new);
        this.user = config.getSmtpUser();
        this.password = config.getSmtpPassword();
        this.session = Session.getInstance(properties(config));
    }

    private static Properties properties(NotifyConfig config)
    {
        String timeout = String.valueOf(config.getEmailTimeout().toMillis());
        Properties properties = new Properties();
        String protocol = config.getSmtpSecurity() == NotifyConfig.SmtpSecurity.TLS ? "smtps" : "smtp";
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty("mail." + protocol + ".host", config.getSmtpHost().orElseThrow());
        properties.setProperty("mail." + protocol + ".port", String.valueOf(config.getSmtpPort()));
        properties.setProperty("mail." + protocol + ".connectiontimeout", timeout);
        properties.setProperty("mail." + protocol + ".timeout", timeout);
        properties.setProperty("mail." + protocol + ".writetimeout", timeout);
        properties.setProperty("mail." + protocol + ".auth", String.valueOf(config.getSmtpUser().isPresent()));
        if (config.getSmtpSecurity() == NotifyConfig.SmtpSecurity.STARTTLS) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
        }
        if (config.getSmtpSecurity() != NotifyConfig.SmtpSecurity.NONE) {
            properties.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return properties;
    }

    private static InternetAddress address(String address)
    {
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            return parsed;
        }
        catch (AddressException e) {
            throw new IllegalArgumentException("Invalid email address in notify.email.*: " + address, e);
        }
    }

    @Override
    public String name()
    {
        return "email via " + host;
    }

    @Override
    public void send(Notification notification)
            throws MessagingException
    {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(sender);
        message.setRecipients(Message.RecipientType.TO, recipients);
        message.setSubject(notification.subject(), "UTF-8");
        message.setText(notification.body(), "UTF-8");
        message.setSentDate(Date.from(notification.sentAt()));
        if (user.isPresent()) {
            Transport.send(message, user.get(), password.orElse(""));
        }
        else {
            Transport.send(message);
        }
    }
}
