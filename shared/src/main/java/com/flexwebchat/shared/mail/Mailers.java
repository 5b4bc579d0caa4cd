package com.flexwebchat.shared.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.UpstreamCall;
import java.time.Duration;
import java.util.Map;

/**
 * The mailer the configuration asks for, built once per cold start: SendGrid when SENDGRID_API_KEY is set (as the
 * upstream Express server sends), else Amazon SES in the function's Region with its execution role. Both send from
 * FROM_EMAIL ({@link #sender}). And the one way mail is logged: provider, status, error code, sizes, counts,
 * message id; never an address, a subject or a body.
 */
public final class Mailers {

    /** The name the providers' time goes under in {@code UpstreamTime} (the access line's {@code mailMillis}). */
    public static final String UPSTREAM = UpstreamCall.MAIL;
    /**
     * The longest one send may take when the invocation leaves more: an email with attachments is one upload of up
     * to the providers' 30-40 MB, far more than any other call here.
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private Mailers() {
    }

    /**
     * @param env the function's environment: AWS_REGION, credentials and AWS_ENDPOINT_URL_SESV2 for SES
     * @throws ConfigException when FROM_EMAIL is not set, or SES's Region or endpoint cannot be known
     */
    public static Mailer create(WebChatConfig.Mail settings, Map<String, String> env) {
        sender(settings);
        if (settings.sendGridApiKey() != null) {
            return new SendGridMailer(settings.sendGridApiBaseUrl(), settings.sendGridApiKey(), CALL_TIMEOUT);
        }
        try {
            return SesMailer.fromEnvironment(env, CALL_TIMEOUT);
        } catch (AwsException e) {
            throw new ConfigException("Amazon SES (used because SENDGRID_API_KEY is not set): " + e.getMessage());
        }
    }

    /** FROM_EMAIL, the sender of every email. */
    public static Email.Address sender(WebChatConfig.Mail settings) {
        if (settings.fromAddress() == null) {
            throw new ConfigException("FROM_EMAIL is required to send email: the sender's address, verified with Amazon SES"
                    + " (or SendGrid, with SENDGRID_API_KEY), such as transcripts@example.com or Support <transcripts@example.com>");
        }
        return new Email.Address(settings.fromAddress(), settings.fromName());
    }

    /**
     * The request as JSON bytes, written straight from the tree: an email's attachments, base64 in the tree already,
     * are not copied once more into a String first.
     */
    static byte[] json(ObjectNode request) {
        try {
            return Json.MAPPER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings always serialises
        }
    }

    static void logSent(String provider, String messageId, int requestBytes, Email email, long startedNanos) {
        Log.info("Email sent", "provider", provider, "messageId", messageId, "requestBytes", requestBytes,
                "attachments", email.attachments().size(), "attachmentBytes", email.attachmentBytes(),
                "durationMillis", (System.nanoTime() - startedNanos) / 1_000_000);
    }

    static void logFailure(MailFailure failure, int requestBytes, Email email, long startedNanos) {
        Log.error("Email not sent", "provider", failure.provider(), "kind", failure.kind().name(),
                "status", failure.providerStatus(), "errorCode", failure.providerCode(),
                "outcomeUnknown", failure.outcomeUnknown(), "requestBytes", requestBytes,
                "attachments", email.attachments().size(), "attachmentBytes", email.attachmentBytes(),
                "durationMillis", (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
