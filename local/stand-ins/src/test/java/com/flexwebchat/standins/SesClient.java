package com.flexwebchat.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Raw SES v2 requests to {@link LocalSes}, signed here with SigV4 as the AWS docs spell it out
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), so the stand-in is
 * tested against the documented wire format rather than against the backend's own signer (shared's tests do that).
 */
final class SesClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY_ID = "AKIDLOCALTEST";
    static final String SECRET = "local-test-secret";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, String errorType, String requestId, JsonNode body, String rawBody) {
    }

    private final String url;
    private final String region;
    String keyId = KEY_ID;
    String secret = SECRET;
    String service = "ses";
    String signedRegion;
    Duration timeout = Duration.ofSeconds(10);

    SesClient(LocalSes ses) {
        this.url = ses.url();
        this.region = ses.region();
        this.signedRegion = ses.region();
    }

    Answer post(String path, byte[] body) throws Exception {
        return send(path, body, body, true);
    }

    Answer post(JsonNode request) throws Exception {
        return post(LocalSes.PATH, JSON.writeValueAsBytes(request));
    }

    /** Signs {@code signedBody} but sends {@code sentBody}; unsigned when {@code sign} is false. */
    Answer send(String path, byte[] signedBody, byte[] sentBody, boolean sign) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sentBody));
        if (sign) {
            String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
            String host = URI.create(url).getAuthority();
            String signedHeaders = "content-type;host;x-amz-date";
            String canonical = "POST\n" + path + "\n\ncontent-type:application/json\nhost:" + host + "\nx-amz-date:" + amzDate
                    + "\n\n" + signedHeaders + "\n" + hex(sha256(signedBody));
            String scope = amzDate.substring(0, 8) + "/" + signedRegion + "/" + service + "/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
            for (String part : new String[] {signedRegion, service, "aws4_request"}) {
                key = hmac(key, part);
            }
            request.header("X-Amz-Date", amzDate).header("Authorization", "AWS4-HMAC-SHA256 Credential=" + keyId + "/" + scope
                    + ", SignedHeaders=" + signedHeaders + ", Signature=" + hex(hmac(key, toSign)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            body = null;
        }
        return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(null),
                response.headers().firstValue("x-amzn-RequestId").orElse(null), body, response.body());
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
