package com.flexwebchat.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.metrics.UpstreamCall;
import com.flexwebchat.shared.standin.StandIn;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * DynamoDB's API (JSON 1.0: {@code POST /} with {@code X-Amz-Target: DynamoDB_20120810.<Operation>},
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/Welcome.html), signed with
 * {@link AwsSigV4}, over the JDK's HTTP client with its connections kept for the next request.
 * No AWS SDK: measured, it cost the first answer far more than this (see shared/pom.xml).
 *
 * <p>Every call is bounded: by {@code callTimeout}, and by the invocation's {@link Deadline} when one
 * is running; its time counts as {@value #UPSTREAM} in {@link UpstreamTime}. AWS's errors come back
 * as {@link AwsException} with the status and AWS's error type
 * ({@code ConditionalCheckFailedException} for a condition that did not hold); nothing is retried.
 */
public final class DynamoDb {

    /** The name the store's time goes under in {@link UpstreamTime}. */
    public static final String UPSTREAM = UpstreamCall.STORE;
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    /** Below this a call cannot usefully start. */
    private static final Duration MIN_CALL = Duration.ofMillis(20);

    private final URI endpoint;
    private final String host;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Duration callTimeout;
    private final Clock clock;
    private volatile HttpClient http;
    /** While {@link #answeringFrom} runs, what answers every call (by operation) instead of DynamoDB. */
    private final StandIn<String> standIn = new StandIn<>();

    public DynamoDb(URI endpoint, String region, AwsCredentialsProvider credentials, Duration callTimeout, Clock clock) {
        this.endpoint = endpoint.getPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        this.host = AwsEndpoints.hostHeader(endpoint);
        this.region = region;
        this.credentials = credentials;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.http = newClient();
    }

    /**
     * The Region's DynamoDB ({@code AWS_REGION}; {@code AWS_ENDPOINT_URL_DYNAMODB} or {@code AWS_ENDPOINT_URL}
     * for a local engine), with the function's credentials.
     */
    public static DynamoDb fromEnvironment(Map<String, String> env, Duration callTimeout) {
        String region = AwsEndpoints.region(env, "DynamoDB");
        URI endpoint = AwsEndpoints.resolve(env, "DYNAMODB", "dynamodb", AwsEndpoints.partition(region), region);
        return new DynamoDb(endpoint, region, new AwsCredentialsProvider(env, Clock.systemUTC()), callTimeout,
                Clock.systemUTC());
    }

    /**
     * Runs {@code work} with every call answered by {@code answers} (given the operation) instead of
     * DynamoDB: each call is still signed and sent through this client's HTTP client, to a server
     * on 127.0.0.1 in this process that answers with it ({@link StandIn}), and its answer
     * read as DynamoDB's would be; nothing reaches DynamoDB or is written. For running real
     * requests before a SnapStart snapshot.
     */
    public void answeringFrom(Function<String, JsonNode> answers, Runnable work) {
        standIn.answering(operation -> new StandIn.Answer(200, Json.write(answers.apply(operation)).getBytes(StandardCharsets.UTF_8)),
                work);
    }

    /** Fresh connections and credentials, for after a SnapStart restore. */
    public void reconnect() {
        http = newClient();
        credentials.refresh();
    }

    /**
     * One operation, e.g. {@code call("UpdateItem", request)}.
     *
     * @return DynamoDB's answer
     * @throws AwsException when DynamoDB refuses (its status and error type kept), cannot be reached, or
     *                      does not answer in time
     */
    public JsonNode call(String operation, ObjectNode request) {
        Duration timeout = callTimeout;
        Deadline deadline = Deadline.current();
        if (deadline != null && deadline.remaining().compareTo(timeout) < 0) {
            timeout = deadline.remaining();
        }
        if (timeout.compareTo(MIN_CALL) < 0) {
            throw new AwsException("no time left for DynamoDB " + operation);
        }
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        AwsCredentials signer = credentials.current();
        String amzDate = AwsSigV4.amzDate(Instant.now(clock));
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("Content-Type", CONTENT_TYPE);
        signed.put("Host", host);
        signed.put("X-Amz-Date", amzDate);
        signed.put("X-Amz-Target", TARGET_PREFIX + operation);
        if (signer.sessionToken() != null) {
            signed.put("X-Amz-Security-Token", signer.sessionToken());
        }
        String authorization = AwsSigV4.authorization(signer, region, "dynamodb", amzDate, "POST", endpoint, signed, body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", authorization);
        signed.forEach((name, value) -> {
            if (!name.equals("Host")) { // the JDK writes Host itself, with the same value
                builder.header(name, value);
            }
        });
        // Under answeringFrom (before a SnapStart snapshot) the request is signed and sent as for
        // real, to a server in this process that answers it.
        HttpRequest built = standIn.route(builder.build(), operation);

        UpstreamTime upstreamTime = UpstreamTime.current();
        if (upstreamTime != null && upstreamTime.isUnreachable(UPSTREAM)) {
            // One wait per invocation: a store that did not answer its first call is not waited on
            // again (every protection fails open on it), so a request pays one timeout, not four.
            throw new AwsException("DynamoDB " + operation + " not sent: the store did not answer earlier in this invocation");
        }
        long started = upstreamTime == null ? 0 : upstreamTime.callStarted(UPSTREAM);
        int status = 0;
        HttpResponse<byte[]> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
        } catch (HttpTimeoutException e) {
            if (upstreamTime != null) {
                upstreamTime.unreachable(UPSTREAM);
            }
            throw new AwsException("DynamoDB did not answer " + operation + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            // A refused connection says the store is down; a reset or a closed kept-alive one says
            // only that this call failed, so the next one may still be answered.
            if (upstreamTime != null && e instanceof ConnectException) {
                upstreamTime.unreachable(UPSTREAM);
            }
            throw new AwsException("could not reach DynamoDB for " + operation + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsException("interrupted while waiting for DynamoDB", e);
        } finally {
            if (upstreamTime != null) {
                upstreamTime.callEnded(UPSTREAM, started, status, operation);
            }
        }
        if (response.statusCode() != 200) {
            String type = AwsErrorType.of(response.headers().firstValue("X-Amzn-ErrorType").orElse(null), response.body());
            throw new AwsException("DynamoDB refused " + operation + ": HTTP " + response.statusCode() + " "
                    + (type == null ? "(no AWS error type)" : type), response.statusCode(), type, null);
        }
        return AwsHttp.parse(response.body(), "DynamoDB answered " + operation + " with something other than JSON");
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).version(HttpClient.Version.HTTP_1_1).build();
    }
}
