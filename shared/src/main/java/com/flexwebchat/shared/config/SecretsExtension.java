package com.flexwebchat.shared.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda Extension, a local
 * HTTP cache the extension layer runs beside the function
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html).
 * It is called once per cold start, before the SnapStart snapshot is taken, so the function needs
 * neither the AWS SDK nor a network call per request.
 *
 * <p>Plain {@link HttpURLConnection} on purpose: a one-off loopback call should not leave a pooled
 * client and its threads in the snapshot.
 */
public final class SecretsExtension implements SecretSource {

    private static final int DEFAULT_PORT = 2773;
    private static final int TIMEOUT_MILLIS = 2_000;

    private final String endpoint;
    private final String sessionToken;

    public SecretsExtension(Map<String, String> env) {
        String port = env.getOrDefault("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(DEFAULT_PORT));
        this.endpoint = "http://localhost:" + port + "/secretsmanager/get?secretId=";
        this.sessionToken = env.get("AWS_SESSION_TOKEN");
    }

    @Override
    public Map<String, String> read(String secretArn) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    endpoint + URLEncoder.encode(secretArn, StandardCharsets.UTF_8)).toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            if (sessionToken != null) {
                // The extension only answers callers that present the function's own session token.
                connection.setRequestProperty("X-Aws-Parameters-Secrets-Token", sessionToken);
            }
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new ConfigException("TWILIO_SECRET_ARN: the secrets extension answered HTTP " + status
                        + " (is the layer attached and secretsmanager:GetSecretValue allowed?)");
            }
            JsonNode answer;
            try (InputStream body = connection.getInputStream()) {
                answer = Json.MAPPER.readTree(body);
            }
            return flatten(Json.parse(answer.path("SecretString").asText("")));
        } catch (IOException e) {
            throw new ConfigException("TWILIO_SECRET_ARN: could not read the secret through the secrets extension: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static Map<String, String> flatten(JsonNode secret) {
        if (!secret.isObject()) {
            throw new ConfigException("TWILIO_SECRET_ARN: the secret's value must be a JSON object with AUTH_TOKEN and API_SECRET");
        }
        Map<String, String> values = new LinkedHashMap<>();
        secret.fields().forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }
}
