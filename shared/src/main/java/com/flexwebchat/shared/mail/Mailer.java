package com.flexwebchat.shared.mail;

/**
 * Sends one email through a provider: Amazon SES ({@link SesMailer}) or SendGrid ({@link SendGridMailer}),
 * as {@link Mailers} chooses. Each call is bounded by its own timeout and the invocation's deadline, and is
 * never repeated after its outcome became unknown.
 */
public interface Mailer {

    /**
     * @throws MailFailure when the provider refused it, answered something unreadable, or did not answer in time
     */
    SentEmail send(Email email);

    /** {@code ses} or {@code sendgrid}: what the logs call it. */
    String provider();

    /** Drops kept connections (and cached credentials): after a SnapStart restore their sockets are gone. */
    void reconnect();
}
