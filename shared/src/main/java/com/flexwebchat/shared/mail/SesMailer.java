package com.flexwebchat.shared.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.aws.AwsCredentials;
import com.flexwebchat.shared.aws.AwsCredentialsProvider;
import com.flexwebchat.shared.aws.AwsEndpoints;
import com.flexwebchat.shared.aws.AwsErrorType;
import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.aws.AwsSigV4;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Amazon SES API v2 {@code SendEmail} (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html):
 * {@code POST /v2/email/outbound-emails}, restJson1, signed with SigV4 as service {@code ses} with the function's
 * credentials. No AWS SDK (see shared/pom.xml: the DynamoDB client's measured cost).
 *
 * <p>The message is {@code Content.Simple}: Subject, Body (Html, and Text when given; each with Charset UTF-8)
 * and Attachments, which needs only {@code ses:SendEmail} ({@code Content.Raw} is authorised as
 * {@code ses:SendRawEmail}). Each attachment says {@code ContentTransferEncoding: BASE64} and
 * {@code ContentDisposition: ATTACHMENT} itself: the documented default encoding is SEVEN_BIT
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Attachment.html), which binary files do not survive.
 * SES answers 200 {@code {"MessageId": ...}}; an error's type is in {@code X-Amzn-ErrorType} ({@link AwsErrorType}).
 */
public final class SesMailer implements Mailer {

    public static final String PROVIDER = "ses";
    static final String PATH = "/v2/email/outbound-emails";
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._@+=-]{1,200}");

    private final URI endpoint;
    private final String host;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private final MailHttp http;

    /**
     * @param endpoint    SES's endpoint, e.g. {@code https://email.eu-west-1.amazonaws.com} (its path is replaced)
     * @param callTimeout the longest one call may take, whatever the invocation's deadline leaves
     */
    public SesMailer(URI endpoint, String region, AwsCredentialsProvider credentials, Duration callTimeout, Clock clock) {
        this.endpoint = endpoint.resolve(PATH);
        this.host = AwsEndpoints.hostHeader(endpoint);
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        this.http = new MailHttp(PROVIDER, callTimeout);
    }

    /**
     * The Region's SES ({@code AWS_REGION}), at {@code AWS_ENDPOINT_URL_SESV2} or {@code AWS_ENDPOINT_URL} when set
     * (a local stand-in), else {@code https://email.<region>.amazonaws.com}, with the function's credentials.
     *
     * @throws AwsException when the Region is unknown or an endpoint override is not a URL
     */
    public static SesMailer fromEnvironment(Map<String, String> env, Duration callTimeout) {
        String region = AwsEndpoints.region(env, "SES");
        URI endpoint = AwsEndpoints.resolve(env, "SESV2", "email", AwsEndpoints.partition(region), region);
        return new SesMailer(endpoint, region, new AwsCredentialsProvider(env, Clock.systemUTC()), callTimeout,
                Clock.systemUTC());
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Where SendEmail goes. */
    URI endpoint() {
        return endpoint;
    }

    /** Fresh connections and credentials, for after a SnapStart restore. */
    @Override
    public void reconnect() {
        http.reconnect();
        credentials.refresh();
    }

    @Override
    public SentEmail send(Email email) {
        byte[] body = Mailers.json(request(email));
        AwsCredentials signer;
        try {
            signer = credentials.current();
        } catch (AwsException e) {
            // No credentials: nothing was sent. The message names the variables, never a value.
            Log.error("Email not sent: the AWS credentials could not be found", "provider", PROVIDER, "reason", e.getMessage());
            throw MailFailure.noAnswer(PROVIDER, false, "no AWS credentials to sign the request with", e);
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.exchange(timeout -> signed(body, signer, timeout));
        } catch (MailFailure failure) {
            Mailers.logFailure(failure, body.length, email, started);
            throw failure;
        }
        int status = response.statusCode();
        if (status != 200) {
            MailFailure failure = status >= 200 && status < 300
                    ? MailFailure.unreadableAnswer(PROVIDER, status, "instead of 200")
                    : MailFailure.errorAnswer(PROVIDER, status,
                            AwsErrorType.of(response.headers().firstValue("X-Amzn-ErrorType").orElse(null), response.body()));
            Mailers.logFailure(failure, body.length, email, started);
            throw failure;
        }
        String messageId = messageId(response.body());
        if (messageId == null) {
            MailFailure failure = MailFailure.unreadableAnswer(PROVIDER, status, "without a readable MessageId");
            Mailers.logFailure(failure, body.length, email, started);
            throw failure;
        }
        Mailers.logSent(PROVIDER, messageId, body.length, email, started);
        return new SentEmail(PROVIDER, messageId);
    }

    /** The SendEmail request: Content.Simple with UTF-8 Subject and Body, and the attachments. */
    static ObjectNode request(Email email) {
        ObjectNode request = Json.object();
        request.put("FromEmailAddress", Addresses.mailbox(email.from()));
        request.putObject("Destination").putArray("ToAddresses").add(Addresses.ascii(email.to()));
        ObjectNode simple = request.putObject("Content").putObject("Simple");
        simple.set("Subject", content(email.subject()));
        ObjectNode body = simple.putObject("Body");
        if (email.text() != null && !email.text().isEmpty()) {
            body.set("Text", content(email.text()));
        }
        body.set("Html", content(email.html()));
        if (!email.attachments().isEmpty()) {
            ArrayNode attachments = simple.putArray("Attachments");
            for (Email.Attachment attachment : email.attachments()) {
                ObjectNode out = attachments.addObject();
                out.put("FileName", attachment.filename());
                out.put("RawContent", Base64.getEncoder().encodeToString(attachment.content()));
                if (attachment.contentType() != null) {
                    out.put("ContentType", attachment.contentType());
                }
                out.put("ContentDisposition", "ATTACHMENT");
                out.put("ContentTransferEncoding", "BASE64");
            }
        }
        return request;
    }

    private static ObjectNode content(String data) {
        return Json.object().put("Data", data).put("Charset", "UTF-8");
    }

    private HttpRequest signed(byte[] body, AwsCredentials signer, Duration timeout) {
        String amzDate = AwsSigV4.amzDate(clock.instant());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Host", host);
        headers.put("X-Amz-Date", amzDate);
        if (signer.sessionToken() != null) {
            headers.put("X-Amz-Security-Token", signer.sessionToken());
        }
        String authorization = AwsSigV4.authorization(signer, region, "ses", amzDate, "POST", endpoint, headers, body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", authorization);
        headers.forEach((name, value) -> {
            if (!name.equals("Host")) { // the JDK writes Host itself, with the same value
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    /** The answer's MessageId when it is JSON with one; null otherwise (no parser message kept: it quotes the body). */
    private static String messageId(byte[] body) {
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            String id = answer == null ? null : answer.path("MessageId").asText(null);
            return id != null && MESSAGE_ID.matcher(id).matches() ? id : null;
        } catch (IOException e) {
            return null;
        }
    }
}
