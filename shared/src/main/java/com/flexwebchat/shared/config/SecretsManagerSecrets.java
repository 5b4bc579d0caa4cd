package com.flexwebchat.shared.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a secret with one Secrets Manager {@code GetSecretValue} call
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html): a
 * JSON 1.1 POST signed with {@link AwsSigV4} using the function's own credentials
 * ({@link AwsCredentials}). No AWS SDK, which would cost cold-start time, and no Lambda extension,
 * which cannot be called during INIT: the handlers read their configuration in their
 * constructors, so with SnapStart this call happens when a version is published and the values
 * are part of the encrypted snapshot.
 *
 * <p>The endpoint is {@code https://secretsmanager.REGION.amazonaws.com} (".com.cn" in China) for
 * the Region in the ARN, or {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} / {@code AWS_ENDPOINT_URL}
 * when set (the AWS SDKs' service-specific endpoint variables,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 *
 * <p>Plain {@link HttpURLConnection} with {@code Connection: close}: a one-off call should leave no
 * pooled connection or client thread in the snapshot. Nothing here is logged, and no message
 * carries a key, a token, a signature or the secret.
 */
public final class SecretsManagerSecrets implements SecretSource {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** The read timeout: the longest wait for any part of the answer. */
    static final int REQUEST_TIMEOUT_MILLIS = 3_000;

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET = "secretsmanager.GetSecretValue";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]+");
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z0-9_.]{1,100}");
    private static final String NOT_AN_OBJECT =
            "TWILIO_SECRET_ARN: the secret's value must be a JSON object with AUTH_TOKEN and API_SECRET";

    private final Map<String, String> env;

    public SecretsManagerSecrets(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Map<String, String> read(String secretArn) {
        // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME
        String[] arn = secretArn.split(":", 7);
        if (arn.length != 7 || !arn[0].equals("arn") || !arn[2].equals("secretsmanager") || !REGION.matcher(arn[3]).matches()) {
            throw new ConfigException("TWILIO_SECRET_ARN must be a full Secrets Manager ARN,"
                    + " arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
        }
        String region = arn[3];
        URI endpoint = endpoint(env, arn[1], region);
        AwsCredentials credentials = AwsCredentials.resolve(env);

        byte[] body = Json.write(Json.object().put("SecretId", secretArn)).getBytes(StandardCharsets.UTF_8);
        String amzDate = AMZ_DATE.format(Instant.now());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("Host", host(endpoint));
        headers.put("X-Amz-Date", amzDate);
        headers.put("X-Amz-Target", TARGET);
        if (credentials.sessionToken() != null) {
            headers.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        String authorization = AwsSigV4.authorization(
                credentials, region, "secretsmanager", amzDate, "POST", endpoint, headers, body);

        Response response;
        try {
            HttpURLConnection connection = open(endpoint, "POST");
            headers.forEach((name, value) -> {
                if (!name.equals("Host")) { // the JDK writes Host itself, with the same value
                    connection.setRequestProperty(name, value);
                }
            });
            connection.setRequestProperty("Authorization", authorization);
            response = exchange(connection, body);
        } catch (IOException e) {
            throw new ConfigException("TWILIO_SECRET_ARN: could not reach Secrets Manager at " + endpoint.getHost()
                    + ": " + e.getClass().getSimpleName(), e);
        }
        if (response.status() != 200) {
            throw refused(response, region);
        }
        JsonNode secretString = parse(response.body(), "TWILIO_SECRET_ARN: Secrets Manager answered with something other than JSON")
                .get("SecretString");
        if (secretString == null || !secretString.isTextual()) {
            throw new ConfigException("TWILIO_SECRET_ARN: the secret has no SecretString (is it a binary secret?);"
                    + " it must be the text {\"AUTH_TOKEN\":\"...\",\"API_SECRET\":\"...\"}");
        }
        return flatten(parse(secretString.asText().getBytes(StandardCharsets.UTF_8), NOT_AN_OBJECT));
    }

    /** The endpoint for a secret in {@code partition} and {@code region}, unless the environment overrides it. */
    static URI endpoint(Map<String, String> env, String partition, String region) {
        for (String variable : List.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL")) {
            String override = value(env, variable);
            if (override != null) {
                try {
                    URI uri = URI.create(override);
                    if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                        return uri;
                    }
                } catch (IllegalArgumentException e) {
                    // reported below
                }
                throw new ConfigException(variable + " must be an http(s) URL such as http://127.0.0.1:4566");
            }
        }
        String domain = switch (partition) {
            case "aws", "aws-us-gov" -> "amazonaws.com";
            case "aws-cn" -> "amazonaws.com.cn";
            default -> throw new ConfigException("TWILIO_SECRET_ARN is in the " + partition + " partition:"
                    + " set AWS_ENDPOINT_URL_SECRETS_MANAGER to its Secrets Manager endpoint");
        };
        return URI.create("https://secretsmanager." + region + "." + domain + "/");
    }

    /** What the JDK sends as {@code Host}: the port only when it is not the scheme's default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == ("https".equals(uri.getScheme()) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /**
     * Names AWS's error type ({@code __type}, e.g. AccessDeniedException) but never quotes AWS's
     * message: for a signature mismatch that message contains the canonical request, session
     * token included.
     */
    private static ConfigException refused(Response response, String region) {
        String type = "";
        try {
            type = Json.MAPPER.readTree(response.body()).path("__type").asText("");
        } catch (IOException e) {
            // not JSON (a proxy's error page, say): no type to report
        }
        // "aws.protocoltests#FooError:http://..." -> "FooError", as the AWS SDKs read it
        type = type.substring(type.indexOf('#') + 1);
        type = type.indexOf(':') < 0 ? type : type.substring(0, type.indexOf(':'));
        if (!ERROR_TYPE.matcher(type).matches()) {
            type = "(no AWS error type)";
        }
        String hint = switch (type) {
            case "AccessDeniedException" -> " - the function's role needs secretsmanager:GetSecretValue on this ARN"
                    + " (and kms:Decrypt if the secret uses a customer managed KMS key)";
            case "ResourceNotFoundException" -> " - there is no such secret in " + region;
            case "DecryptionFailure" -> " - Secrets Manager could not decrypt it with its KMS key";
            default -> "";
        };
        return new ConfigException("TWILIO_SECRET_ARN: Secrets Manager refused GetSecretValue: HTTP "
                + response.status() + " " + type + hint);
    }

    private static Map<String, String> flatten(JsonNode secret) {
        if (!secret.isObject()) {
            throw new ConfigException(NOT_AN_OBJECT);
        }
        Map<String, String> values = new LinkedHashMap<>();
        secret.fields().forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }

    /** Blank counts as unset: {@code sam local invoke} declares some variables empty. */
    static String value(Map<String, String> env, String key) {
        String value = env.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    // --- The HTTP exchange, shared with AwsCredentials -------------------------------------------

    record Response(int status, byte[] body) {
    }

    static HttpURLConnection open(URI uri, String method) throws IOException {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(REQUEST_TIMEOUT_MILLIS);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("Connection", "close");
        return connection;
    }

    /** Sends {@code body} (if any), reads the whole answer, and closes the connection. */
    static Response exchange(HttpURLConnection connection, byte[] body) throws IOException {
        try {
            if (body != null) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (stream == null) {
                return new Response(status, new byte[0]);
            }
            try (stream) {
                return new Response(status, stream.readAllBytes());
            }
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Parses JSON. On failure the exception carries no cause: a parser's message quotes the text
     * it choked on, which here is a secret or a key.
     */
    static JsonNode parse(byte[] json, String whatWentWrong) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            throw new ConfigException(whatWentWrong);
        }
    }
}
