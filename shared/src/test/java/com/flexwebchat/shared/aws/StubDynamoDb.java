package com.flexwebchat.shared.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
        Matcher authorization = AUTHORIZATION.matcher(String.valueOf(headers.getFirst("Authorization")));
        boolean wellFormed = authorization.matches();
        requests.add(new Received(wellFormed ? authorization.group(1) : null, headers.getFirst("X-Amz-Target"),
                wellFormed ? authorization.group(5) : null, headers.getFirst("X-Amz-Security-Token"),
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
        String amzDate = String.valueOf(headers.getFirst("X-Amz-Date"));
        Instant sent;
        try {
            sent = LocalDateTime.parse(amzDate, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return "X-Amz-Date " + amzDate;
        }
        if (Duration.between(sent, Instant.now()).abs().toMinutes() > 5) {
            return "X-Amz-Date is not now: " + amzDate;
        }
        if (!wellFormed) {
            return "Authorization header malformed";
        }
        String accessKeyId = authorization.group(1);
        String secretAccessKey = keys.get(accessKeyId);
        if (secretAccessKey == null) {
            return "The security token included in the request is invalid (unknown access key)";
        }
        String scope = authorization.group(2) + "/" + authorization.group(3) + "/" + authorization.group(4);
        String expectedScope = amzDate.substring(0, 8) + "/" + region + "/dynamodb";
        if (!scope.equals(expectedScope)) {
            return "credential scope " + scope + "/aws4_request, expected " + expectedScope + "/aws4_request";
        }
        String signedHeaders = authorization.group(5);
        boolean token = headers.getFirst("X-Amz-Security-Token") != null;
        String expectedSignedHeaders = token
                ? "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
                : "content-type;host;x-amz-date;x-amz-target";
        if (!signedHeaders.equals(expectedSignedHeaders)) {
            return "SignedHeaders " + signedHeaders + ", expected " + expectedSignedHeaders;
        }

        // The signature over the request as it arrived.
        StringBuilder canonical = new StringBuilder("POST\n/\n\n");
        for (String name : signedHeaders.split(";")) {
            canonical.append(name).append(':').append(String.valueOf(headers.getFirst(name)).trim()).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(hex(sha256(body)));
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + amzDate.substring(0, 8) + "/" + region
                + "/dynamodb/aws4_request\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        key = hmac(key, region);
        key = hmac(key, "dynamodb");
        key = hmac(key, "aws4_request");
        if (!hex(hmac(key, stringToSign)).equals(authorization.group(6))) {
            return "The request signature we calculated does not match the signature you provided";
        }
        return null;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
