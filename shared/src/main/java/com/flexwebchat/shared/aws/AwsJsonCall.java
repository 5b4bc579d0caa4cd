package com.flexwebchat.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to an AWS service of the JSON protocol (Secrets Manager speaks JSON 1.1, DynamoDB JSON
 * 1.0): a POST to the endpoint with {@code X-Amz-Target: <target>}, signed with {@link AwsSigV4}.
 * AWS's errors come back as {@link AwsException} with the status and AWS's error type
 * ({@link AwsErrorType}), never AWS's message.
 *
 * @param service     the signing name, e.g. {@code secretsmanager}
 * @param contentType {@code application/x-amz-json-1.1} or {@code -1.0}
 */
public record AwsJsonCall(URI endpoint, String region, String service, String contentType, AwsCredentials credentials) {

    /**
     * @param target e.g. {@code secretsmanager.GetSecretValue}
     * @return the answer, a JSON document
     */
    public JsonNode call(String target, byte[] body) {
        String amzDate = AwsSigV4.amzDate(Instant.now());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Host", AwsEndpoints.hostHeader(endpoint));
        headers.put("X-Amz-Date", amzDate);
        headers.put("X-Amz-Target", target);
        if (credentials.sessionToken() != null) {
            headers.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        String authorization = AwsSigV4.authorization(credentials, region, service, amzDate, "POST", endpoint, headers, body);

        AwsHttp.Response response;
        try {
            HttpURLConnection connection = AwsHttp.open(endpoint, "POST");
            headers.forEach((name, value) -> {
                if (!name.equals("Host")) { // the JDK writes Host itself, with the same value
                    connection.setRequestProperty(name, value);
                }
            });
            connection.setRequestProperty("Authorization", authorization);
            response = AwsHttp.exchange(connection, body);
        } catch (IOException e) {
            throw new AwsException("could not reach " + service + " at " + endpoint.getHost() + ": "
                    + e.getClass().getSimpleName(), e);
        }
        if (response.status() != 200) {
            String type = AwsErrorType.of(response.errorTypeHeader(), response.body());
            throw new AwsException(service + " refused " + target.substring(target.indexOf('.') + 1) + ": HTTP "
                    + response.status() + " " + (type == null ? "(no AWS error type)" : type), response.status(), type, null);
        }
        return AwsHttp.parse(response.body(), service + " answered with something other than JSON");
    }
}
