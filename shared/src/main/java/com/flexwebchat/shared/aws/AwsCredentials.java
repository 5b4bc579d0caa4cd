package com.flexwebchat.shared.aws;

import static com.flexwebchat.shared.aws.AwsHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The function's temporary AWS credentials (its execution role), found the way the AWS SDKs find
 * them in Lambda:
 * <ol>
 *   <li>{@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}:
 *       what Lambda gives an ordinary function;</li>
 *   <li>the container credentials endpoint {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, called with
 *       {@code Authorization:} the contents of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} or else
 *       {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}: what a SnapStart function gets instead
 *       (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials,
 *       https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).</li>
 * </ol>
 * The container endpoint's credentials expire ({@code Expiration}); {@link AwsCredentialsProvider}
 * fetches new ones before they do.
 *
 * @param expiration when they stop working, or null when the environment gave them (they last as
 *                   long as the execution environment)
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

    /** Visible ASCII: what an HTTP header can carry, so no value ends up in an exception from the HTTP client. */
    private static final Pattern HEADER_SAFE = Pattern.compile("[\\x21-\\x7e]+");

    public AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this(accessKeyId, secretAccessKey, sessionToken, null);
    }

    public AwsCredentials {
        for (String value : new String[] {accessKeyId, secretAccessKey, sessionToken}) {
            if (value != null && !HEADER_SAFE.matcher(value).matches()) {
                throw new AwsException("The AWS credentials found contain characters an HTTP header cannot carry");
            }
        }
    }

    /** The credentials the environment names, fetched from the container endpoint when that is what it names. */
    public static AwsCredentials resolve(Map<String, String> env) {
        String accessKeyId = value(env, "AWS_ACCESS_KEY_ID");
        String secretAccessKey = value(env, "AWS_SECRET_ACCESS_KEY");
        if (accessKeyId != null && secretAccessKey != null) {
            return new AwsCredentials(accessKeyId, secretAccessKey, value(env, "AWS_SESSION_TOKEN"));
        }
        String fullUri = value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (fullUri != null) {
            return fromContainerEndpoint(fullUri, authorizationToken(env));
        }
        throw new AwsException("no AWS credentials were found: neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor"
                + " AWS_CONTAINER_CREDENTIALS_FULL_URI is set (Lambda sets them for the function's execution role)");
    }

    private static String authorizationToken(Map<String, String> env) {
        String file = value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        String token;
        if (file == null) {
            token = value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
        } else {
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | InvalidPathException e) {
                throw new AwsException("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE could not be read: "
                        + e.getClass().getSimpleName(), e);
            }
        }
        if (token != null && !token.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new AwsException("The container authorization token contains characters an HTTP header cannot carry");
        }
        return token;
    }

    private static AwsCredentials fromContainerEndpoint(String fullUri, String authorizationToken) {
        AwsHttp.Response response;
        try {
            HttpURLConnection connection = AwsHttp.open(URI.create(fullUri), "GET");
            if (authorizationToken != null) {
                connection.setRequestProperty("Authorization", authorizationToken);
            }
            response = AwsHttp.exchange(connection, null);
        } catch (IOException | IllegalArgumentException e) {
            throw new AwsException("Could not get the function's AWS credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI: "
                    + e.getClass().getSimpleName(), e);
        }
        if (response.status() != 200) {
            throw new AwsException("The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) answered HTTP "
                    + response.status() + " instead of the function's AWS credentials");
        }
        // No cause attached: a parser's message quotes the text it choked on, here the keys.
        JsonNode answer = AwsHttp.parse(response.body(),
                "The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) answered with something other than JSON");
        String accessKeyId = answer.path("AccessKeyId").asText("");
        String secretAccessKey = answer.path("SecretAccessKey").asText("");
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
            throw new AwsException("The container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI)"
                    + " answered without AccessKeyId and SecretAccessKey");
        }
        String token = answer.path("Token").asText("");
        Instant expiration;
        try {
            expiration = answer.hasNonNull("Expiration") ? Instant.parse(answer.get("Expiration").asText()) : null;
        } catch (DateTimeParseException e) {
            expiration = null;
        }
        return new AwsCredentials(accessKeyId, secretAccessKey, token.isEmpty() ? null : token, expiration);
    }

    /** Never print the keys, even by accident. */
    @Override
    public String toString() {
        return "AwsCredentials[redacted]";
    }
}
