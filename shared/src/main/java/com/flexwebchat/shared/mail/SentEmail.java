package com.flexwebchat.shared.mail;

/**
 * An email the provider accepted.
 *
 * @param provider  {@code ses} or {@code sendgrid}
 * @param messageId the provider's id of the message (SES's {@code MessageId}, SendGrid's {@code X-Message-Id});
 *                  null when SendGrid accepted it without one
 */
public record SentEmail(String provider, String messageId) {
}
