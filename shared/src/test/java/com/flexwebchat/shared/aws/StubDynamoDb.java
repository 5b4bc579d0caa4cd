package com.flexwebchat.shared.aws;

import com.flexwebchat.standins.SigV4Verifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * DynamoDB's endpoint on 127.0.0.1, checking each request as AWS would before anything else: the
 * JSON 1.0 protocol's headers ({@code Content-Type: application/x-amz-json-1.0},
 * {@code X-Amz-Target: DynamoDB_20120810.<Operation>}), the credential scope (the Region, service
 * {@code dynamodb}), the signed headers, and the SigV4 signature itself, recomputed here
 * independently of {@link AwsSigV4} with the secret key of the access key the request names
 * ({@link #keys}). A request that fails gets AWS's 400 InvalidSignatureException and its reason is
 * kept in {@link #problems}; one that passes gets {@link #status} and {@link #answer}. Unlike
 * dynalite, which checks no signature.
 */
final class StubDynamoDb implements AutoCloseable {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
                    + " SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    /** One request as received. */
    record Received(String accessKeyId, String target, String signedHeaders, String securityToken, String body) {
    }

    final String region;
    /** Access key ids to their secret keys, as IAM knows them. */
    final Map<String, String> keys = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<Received> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = "{}";
    private final HttpServer server;

    StubDynamoDb(String region) throws IOException {
        this.region = region;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** For AWS_ENDPOINT_URL_DYNAMODB. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String problem = check(exchange, body);
        byte[] reply;
        int replyStatus;
        if (problem != null) {
            problems.add(problem);
            replyStatus = 400;
            reply = ("{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\",\"message\":\""
                    + problem.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        } else {
            replyStatus = status;
            reply = answer.getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(replyStatus, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    private String check(HttpExchange exchange, byte[] body) {
        var headers = exchange.getRequestHeaders();
        requests.add(new Received(SigV4Verifier.accessKeyId(headers), headers.getFirst("X-Amz-Target"),
                SigV4Verifier.signedHeaders(headers), headers.getFirst("X-Amz-Security-Token"),
                new String(body, StandardCharsets.UTF_8)));
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().toString().equals("/")) {
            return "expected POST /, got " + exchange.getRequestMethod() + " " + exchange.getRequestURI();
        }
        if (!"application/x-amz-json-1.0".equals(headers.getFirst("Content-Type"))) {
            return "Content-Type " + headers.getFirst("Content-Type");
        }
        String target = String.valueOf(headers.getFirst("X-Amz-Target"));
        if (!target.matches("DynamoDB_20120810\\.[A-Za-z]+")) {
            return "X-Amz-Target " + target;
        }
        return SigV4Verifier.problem(headers, body, region, "dynamodb", keys::get);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
