package com.flexwebchat.shared.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.SecretsManagerSecrets;
import com.flexwebchat.shared.json.Json;
import com.sun.net.httpserver.HttpServer;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against {@link StubSecretsManager}, which verifies the SigV4 signature of every request. */
class SecretsManagerSecretsTest {

    // eu-west-1 in the ARN, us-east-1 where the function runs: the ARN's Region must win.
    static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flex-webchat/twilio-AbCdEf";
    static final String SECRET = "{\"AUTH_TOKEN\":\"the-auth-token\",\"API_SECRET\":\"the-api-secret\"}";
    static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN==";

    StubSecretsManager stub;
    HttpServer credentialsEndpoint;

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.close();
        }
        if (credentialsEndpoint != null) {
            credentialsEndpoint.stop(0);
        }
    }

    StubSecretsManager stub(String accessKeyId, String secretAccessKey, String sessionToken) throws Exception {
        stub = new StubSecretsManager("eu-west-1", accessKeyId, secretAccessKey, sessionToken);
        stub.answer = StubSecretsManager.awsAnswer(ARN, SECRET);
        return stub;
    }

    Map<String, String> env(String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", stub.url());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    @Test
    void readsTheSecretWithTheEnvironmentsCredentials() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);

        Map<String, String> secret = new SecretsManagerSecrets(env(
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)).read(ARN);

        assertEquals(List.of(), stub.problems);
        assertEquals(Map.of("AUTH_TOKEN", "the-auth-token", "API_SECRET", "the-api-secret"), secret);
        assertEquals(1, stub.requests.size());
        assertEquals("{\"SecretId\":\"" + ARN + "\"}", stub.requests.get(0).get("body"));
        assertEquals("null", stub.requests.get(0).get("X-Amz-Security-Token"));
    }

    @Test
    void sendsAndSignsTheSessionToken() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);

        Map<String, String> secret = new SecretsManagerSecrets(env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN)).read(ARN);

        assertEquals(List.of(), stub.problems);
        assertEquals("the-api-secret", secret.get("API_SECRET"));
        assertEquals(SESSION_TOKEN, stub.requests.get(0).get("X-Amz-Security-Token"));
        assertTrue(stub.requests.get(0).get("Authorization").contains("x-amz-security-token"));
    }

    @Test
    void aWrongSecretKeyFailsTheStubsSignatureCheck() throws Exception {
        stub(ACCESS_KEY_ID, "not-" + SECRET_ACCESS_KEY, null);

        ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env(
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)).read(ARN));

        assertEquals(List.of("The request signature we calculated does not match the signature you provided"), stub.problems);
        assertTrue(error.getMessage().contains("HTTP 403 InvalidSignatureException"), error.getMessage());
    }

    /** What a SnapStart function gets: no key variables, a credentials endpoint instead. */
    @Test
    void getsCredentialsFromTheContainerEndpoint() throws Exception {
        stub("ASIACONTAINEREXAMPLE", "container/secret/key", "container-session-token");
        List<String> seenAuthorization = startCredentialsEndpoint(200);

        Map<String, String> secret = new SecretsManagerSecrets(env(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", credentialsUrl(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-authorization-token")).read(ARN);

        assertEquals(List.of(), stub.problems);
        assertEquals("the-auth-token", secret.get("AUTH_TOKEN"));
        assertEquals(List.of("container-authorization-token"), seenAuthorization);
        assertEquals("container-session-token", stub.requests.get(0).get("X-Amz-Security-Token"));
    }

    @Test
    void theAuthorizationTokenFileWinsOverTheVariable(@TempDir Path dir) throws Exception {
        stub("ASIACONTAINEREXAMPLE", "container/secret/key", "container-session-token");
        List<String> seenAuthorization = startCredentialsEndpoint(200);
        Path tokenFile = Files.writeString(dir.resolve("token"), "token-from-file\n");

        new SecretsManagerSecrets(env(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", credentialsUrl(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "token-from-variable")).read(ARN);

        assertEquals(List.of("token-from-file"), seenAuthorization);
        assertEquals(List.of(), stub.problems);
    }

    @Test
    void aRefusingCredentialsEndpointIsNamed() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);
        startCredentialsEndpoint(500);

        ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", credentialsUrl())).read(ARN));

        assertTrue(error.getMessage().contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), error.getMessage());
        assertTrue(error.getMessage().contains("HTTP 500"), error.getMessage());
        assertTrue(stub.requests.isEmpty());
    }

    @Test
    void accessDeniedNamesTheErrorTypeButNoSecret() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);
        stub.status = 400;
        stub.answer = "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:sts::123456789012:assumed-role/"
                + "fn-role/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: " + ARN + "\"}";

        ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env("AWS_ACCESS_KEY_ID",
                ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN)).read(ARN));

        String message = error.getMessage();
        assertTrue(message.startsWith("TWILIO_SECRET_ARN: "), message);
        assertTrue(message.contains("HTTP 400 AccessDeniedException"), message);
        assertTrue(message.contains("secretsmanager:GetSecretValue"), message);
        assertNoCredentialsIn(message);
    }

    /** AWS's message for a bad signature quotes the canonical request, session token included. */
    @Test
    void neverQuotesAwssErrorMessage() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);
        stub.status = 403;
        stub.answer = "{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\",\"message\":\"The Canonical String"
                + " for this request should have been 'POST\\n/\\n\\nx-amz-security-token:" + SESSION_TOKEN + "'\"}";

        ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env("AWS_ACCESS_KEY_ID",
                ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN)).read(ARN));

        assertTrue(error.getMessage().endsWith("HTTP 403 InvalidSignatureException"), error.getMessage());
        assertNoCredentialsIn(error.getMessage());
    }

    @Test
    void resourceNotFoundNamesTheRegion() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);
        stub.status = 400;
        stub.answer = "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}";

        ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env(
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)).read(ARN));

        assertTrue(error.getMessage().contains("HTTP 400 ResourceNotFoundException"), error.getMessage());
        assertTrue(error.getMessage().contains("eu-west-1"), error.getMessage());
    }

    @Test
    void refusesASecretThatIsNotAJsonObjectWithoutQuotingIt() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);
        for (String secretString : new String[] {"hunter2-plain-text", "[\"hunter2\"]", "\"hunter2\""}) {
            stub.answer = StubSecretsManager.awsAnswer(ARN, secretString);

            ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env(
                    "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)).read(ARN));

            assertEquals("TWILIO_SECRET_ARN: the secret's value must be a JSON object with AUTH_TOKEN and API_SECRET",
                    error.getMessage());
            assertNull(error.getCause(), "a parser's message would quote the secret");
        }
    }

    @Test
    void noCredentialsIsAClearConfigError() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);

        ConfigException error = assertThrows(ConfigException.class,
                () -> new SecretsManagerSecrets(env("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "")).read(ARN));

        assertTrue(error.getMessage().contains("no AWS credentials were found"), error.getMessage());
        assertTrue(stub.requests.isEmpty());
    }

    @Test
    void theEndpointFollowsTheArnsRegionAndPartitionUnlessOverridden() {
        assertEquals(URI.create("https://secretsmanager.eu-west-1.amazonaws.com/"),
                AwsEndpoints.resolve(Map.of(), "SECRETS_MANAGER", "secretsmanager", "aws", "eu-west-1"));
        assertEquals(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn/"),
                AwsEndpoints.resolve(Map.of(), "SECRETS_MANAGER", "secretsmanager", "aws-cn", "cn-north-1"));
        assertEquals(URI.create("https://secretsmanager.us-gov-west-1.amazonaws.com/"),
                AwsEndpoints.resolve(Map.of(), "SECRETS_MANAGER", "secretsmanager", "aws-us-gov", "us-gov-west-1"));
        assertEquals(URI.create("http://localhost:4566"),
                AwsEndpoints.resolve(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566"), "SECRETS_MANAGER", "secretsmanager",
                        "aws", "eu-west-1"));
        assertEquals(URI.create("http://127.0.0.1:1"), AwsEndpoints.resolve(Map.of(
                "AWS_ENDPOINT_URL", "http://localhost:4566", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:1"),
                "SECRETS_MANAGER", "secretsmanager", "aws", "eu-west-1"));
        assertThrows(AwsException.class, () -> AwsEndpoints.resolve(
                Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "localhost:4566"), "SECRETS_MANAGER", "secretsmanager", "aws", "eu-west-1"));
    }

    @Test
    void refusesAnArnWithoutARegion() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> new SecretsManagerSecrets(Map.of()).read("arn:aws:secretsmanager:::secret:x"));
        assertTrue(error.getMessage().startsWith("TWILIO_SECRET_ARN must be a full Secrets Manager ARN"), error.getMessage());
    }

    @Test
    void coldStartCannotHang() throws Exception {
        HttpURLConnection connection = AwsHttp.open(URI.create("http://127.0.0.1:1/"), "POST");
        assertEquals(2_000, connection.getConnectTimeout());
        assertEquals(3_000, connection.getReadTimeout());
    }

    @Test
    void refusesCredentialsAHeaderCannotCarryWithoutQuotingThem() throws Exception {
        stub(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);

        ConfigException error = assertThrows(ConfigException.class, () -> new SecretsManagerSecrets(env("AWS_ACCESS_KEY_ID",
                ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN + "\nX-Injected: 1"))
                .read(ARN));

        assertNoCredentialsIn(error.getMessage());
        assertTrue(stub.requests.isEmpty());
    }

    @Test
    void credentialsNeverPrintTheirKeys() {
        String printed = new AwsCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN).toString();
        assertNoCredentialsIn(printed);
    }

    static void assertNoCredentialsIn(String text) {
        for (String secret : new String[] {ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, "the-auth-token",
                "the-api-secret", "Signature=", "hunter2"}) {
            assertFalse(text.contains(secret), () -> "leaks " + secret + ": " + text);
        }
    }

    /** A stand-in for Lambda's container credentials endpoint; returns the Authorization headers it saw. */
    List<String> startCredentialsEndpoint(int status) throws Exception {
        List<String> seenAuthorization = new CopyOnWriteArrayList<>();
        credentialsEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        credentialsEndpoint.createContext("/2018-06-01/credentials", exchange -> {
            seenAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = Json.write(Json.object()
                    .put("AccessKeyId", "ASIACONTAINEREXAMPLE")
                    .put("SecretAccessKey", "container/secret/key")
                    .put("Token", "container-session-token")
                    .put("Expiration", "2030-01-01T00:00:00Z")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        credentialsEndpoint.start();
        return seenAuthorization;
    }

    String credentialsUrl() {
        return "http://127.0.0.1:" + credentialsEndpoint.getAddress().getPort() + "/2018-06-01/credentials";
    }
}
