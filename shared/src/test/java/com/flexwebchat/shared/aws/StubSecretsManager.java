package com.flexwebchat.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.standins.SigV4Verifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A stand-in for Secrets Manager on 127.0.0.1 that checks requests as AWS would: the JSON 1.1
 * protocol headers, the body, the credential scope, the signed headers, and the signature itself,
 * recomputed here (independently of {@link AwsSigV4}) with the secret key it was told the caller
 * holds. A request that fails a check gets AWS's 403 InvalidSignatureException and its reason is
 * kept in {@link #problems}; one that passes gets {@link #answer}.
 */
final class StubSecretsManager implements AutoCloseable {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
                    + " SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    final String region;
    final String accessKeyId;
    final String secretAccessKey;
    final String sessionToken;
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer;
    private final HttpServer server;

    StubSecretsManager(String region, String accessKeyId, String secretAccessKey, String sessionToken) throws IOException {
        this.region = region;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** For AWS_ENDPOINT_URL_SECRETS_MANAGER. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A GetSecretValue answer as AWS writes it. */
    static String awsAnswer(String arn, String secretString) {
        return Json.write(Json.object()
                .put("ARN", arn)
                .put("CreatedDate", 1.523477145713E9)
                .put("Name", "flex-webchat/twilio")
                .put("SecretString", secretString)
                .put("VersionId", "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1")
                .set("VersionStages", Json.MAPPER.createArrayNode().add("AWSCURRENT")));
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String problem = check(exchange, body);
        byte[] reply;
        int replyStatus;
        if (problem != null) {
            problems.add(problem);
            replyStatus = 403;
            reply = ("{\"__type\":\"InvalidSignatureException\",\"message\":\"" + problem.replace("\"", "'") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            replyStatus = status;
            reply = answer.getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(replyStatus, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    private String check(HttpExchange exchange, byte[] body) {
        var headers = exchange.getRequestHeaders();
        requests.add(Map.of(
                "Authorization", String.valueOf(headers.getFirst("Authorization")),
                "X-Amz-Security-Token", String.valueOf(headers.getFirst("X-Amz-Security-Token")),
                "body", new String(body, StandardCharsets.UTF_8)));
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().toString().equals("/")) {
            return "expected POST /, got " + exchange.getRequestMethod() + " " + exchange.getRequestURI();
        }
        if (!"application/x-amz-json-1.1".equals(headers.getFirst("Content-Type"))) {
            return "Content-Type " + headers.getFirst("Content-Type");
        }
        if (!"secretsmanager.GetSecretValue".equals(headers.getFirst("X-Amz-Target"))) {
            return "X-Amz-Target " + headers.getFirst("X-Amz-Target");
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return "body is not JSON";
        }
        if (request.size() != 1 || !request.path("SecretId").isTextual()) {
            return "body should be {\"SecretId\": ARN}, got " + request;
        }
        if (sessionToken != null && !sessionToken.equals(headers.getFirst("X-Amz-Security-Token"))) {
            return "X-Amz-Security-Token missing or wrong";
        }

        return SigV4Verifier.problem(headers, body, region, "secretsmanager",
                id -> id.equals(accessKeyId) ? secretAccessKey : null);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
