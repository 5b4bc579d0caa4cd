package com.flexwebchat.shared.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.aws.SecretsManager;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AUTH_TOKEN and API_SECRET from the Secrets Manager secret {@code TWILIO_SECRET_ARN} names, read
 * with one {@code GetSecretValue} call ({@link SecretsManager}). The handlers read their
 * configuration in their constructors, so with SnapStart this call happens when a version is
 * published and the values are part of the encrypted snapshot. Every failure is a
 * {@link ConfigException} that says what to fix; none quotes a key, a token or the secret.
 */
public final class SecretsManagerSecrets implements SecretSource {

    private static final String NOT_AN_OBJECT =
            "TWILIO_SECRET_ARN: the secret's value must be a JSON object with AUTH_TOKEN and API_SECRET";

    private final Map<String, String> env;

    public SecretsManagerSecrets(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Map<String, String> read(String secretArn) {
        String region = SecretsManager.region(secretArn);
        if (region == null) {
            throw new ConfigException("TWILIO_SECRET_ARN must be a full Secrets Manager ARN,"
                    + " arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
        }
        String secretString;
        try {
            secretString = new SecretsManager(env).secretString(secretArn);
        } catch (AwsException e) {
            throw new ConfigException("TWILIO_SECRET_ARN: " + e.getMessage() + hint(e.errorType(), region), e);
        }
        JsonNode secret;
        try {
            secret = Json.parse(secretString);
        } catch (IOException e) {
            throw new ConfigException(NOT_AN_OBJECT); // no cause: a parser's message would quote the secret
        }
        if (secret == null || !secret.isObject()) {
            throw new ConfigException(NOT_AN_OBJECT);
        }
        Map<String, String> values = new LinkedHashMap<>();
        secret.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }

    /** What to do about the errors a deployment commonly meets. */
    private static String hint(String errorType, String region) {
        if (errorType == null) {
            return "";
        }
        return switch (errorType) {
            case "AccessDeniedException" -> " - the function's role needs secretsmanager:GetSecretValue on this ARN"
                    + " (and kms:Decrypt if the secret uses a customer managed KMS key)";
            case "ResourceNotFoundException" -> " - there is no such secret in " + region;
            case "DecryptionFailure" -> " - Secrets Manager could not decrypt it with its KMS key";
            default -> "";
        };
    }
}
