package com.flexwebchat.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Secrets Manager's {@code GetSecretValue}
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html), with
 * the function's own credentials ({@link AwsCredentials}) against the secret's Region. No AWS SDK,
 * which would cost cold-start time, and no Lambda extension, which cannot be called during INIT.
 */
public final class SecretsManager {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String TARGET = "secretsmanager.GetSecretValue";
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]+");

    private final Map<String, String> env;

    /** @param env the environment: credentials and endpoint overrides */
    public SecretsManager(Map<String, String> env) {
        this.env = env;
    }

    /** The region of {@code arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME}, or null when it is not such an ARN. */
    public static String region(String secretArn) {
        String[] arn = secretArn.split(":", 7);
        boolean valid = arn.length == 7 && arn[0].equals("arn") && arn[2].equals("secretsmanager")
                && REGION.matcher(arn[3]).matches();
        return valid ? arn[3] : null;
    }

    /**
     * The secret's {@code SecretString}.
     *
     * @throws IllegalArgumentException when {@code secretArn} is not a full Secrets Manager ARN
     * @throws AwsException             when Secrets Manager cannot be reached or refuses, or the secret has no text
     */
    public String secretString(String secretArn) {
        String region = region(secretArn);
        if (region == null) {
            throw new IllegalArgumentException("not a full Secrets Manager ARN");
        }
        String partition = secretArn.split(":", 3)[1];
        AwsJsonCall call = new AwsJsonCall(AwsEndpoints.resolve(env, "SECRETS_MANAGER", "secretsmanager", partition, region),
                region, "secretsmanager", CONTENT_TYPE, AwsCredentials.resolve(env));
        JsonNode answer = call.call(TARGET, Json.write(Json.object().put("SecretId", secretArn)).getBytes(StandardCharsets.UTF_8));
        JsonNode secretString = answer.get("SecretString");
        if (secretString == null || !secretString.isTextual()) {
            throw new AwsException("the secret has no SecretString (is it a binary secret?)");
        }
        return secretString.asText();
    }
}
