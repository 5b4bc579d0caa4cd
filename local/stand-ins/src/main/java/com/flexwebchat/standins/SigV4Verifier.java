package com.flexwebchat.standins;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What AWS checks of a request signed with SigV4 in an {@code Authorization} header: its date is now, its
 * credential scope names the service and Region, it signs the headers it must, and its signature is right,
 * recomputed here independently of the backend's own signer
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 * The stand-ins of the AWS services the functions call use it (shared's DynamoDB and Secrets Manager
 * stubs, {@link LocalSes}).
 */
public final class SigV4Verifier {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
                    + " SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    private SigV4Verifier() {
    }

    /** The access key ID of a well-formed Authorization header, else null. */
    public static String accessKeyId(Headers headers) {
        Matcher authorization = AUTHORIZATION.matcher(String.valueOf(headers.getFirst("Authorization")));
        return authorization.matches() ? authorization.group(1) : null;
    }

    /** The signed headers of a well-formed Authorization header, else null. */
    public static String signedHeaders(Headers headers) {
        Matcher authorization = AUTHORIZATION.matcher(String.valueOf(headers.getFirst("Authorization")));
        return authorization.matches() ? authorization.group(5) : null;
    }

    /**
     * Why AWS would refuse a JSON-protocol request ({@code POST /} with {@code X-Amz-Target}, as DynamoDB and
     * Secrets Manager take them), or null when it would not. Its signed headers must be exactly the protocol's.
     *
     * @param secretKeys the secret key of an access key ID, as IAM knows it; null for one it does not know
     */
    public static String problem(Headers headers, byte[] body, String region, String service, Function<String, String> secretKeys) {
        String expected = headers.getFirst("X-Amz-Security-Token") != null
                ? "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
                : "content-type;host;x-amz-date;x-amz-target";
        String signed = signedHeaders(headers);
        if (signed != null && !signed.equals(expected)) {
            return "SignedHeaders " + signed + ", expected " + expected;
        }
        return problem("POST", "/", headers, body, region, service, secretKeys);
    }

    /**
     * Why AWS would refuse a request to {@code rawPath} (no query), or null when it would not. As AWS requires,
     * the signed headers include {@code host} and {@code x-amz-date}, and {@code x-amz-security-token} when the
     * request carries one; each signed header is present.
     *
     * @param rawPath the path as sent (percent-encoded); AWS signs it encoded once more (all services but S3)
     */
    public static String problem(String method, String rawPath, Headers headers, byte[] body, String region, String service,
                                 Function<String, String> secretKeys) {
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
        Matcher authorization = AUTHORIZATION.matcher(String.valueOf(headers.getFirst("Authorization")));
        if (!authorization.matches()) {
            return "Authorization header malformed";
        }
        String secretAccessKey = secretKeys.apply(authorization.group(1));
        if (secretAccessKey == null) {
            return "The security token included in the request is invalid (unknown access key)";
        }
        String scope = authorization.group(2) + "/" + authorization.group(3) + "/" + authorization.group(4);
        String expectedScope = amzDate.substring(0, 8) + "/" + region + "/" + service;
        if (!scope.equals(expectedScope)) {
            return "credential scope " + scope + "/aws4_request, expected " + expectedScope + "/aws4_request";
        }
        String signedHeaders = authorization.group(5);
        List<String> signed = Arrays.asList(signedHeaders.split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date")
                || (headers.getFirst("X-Amz-Security-Token") != null && !signed.contains("x-amz-security-token"))) {
            return "SignedHeaders " + signedHeaders + " must include host, x-amz-date and x-amz-security-token when sent";
        }
        if (!String.join(";", signed.stream().sorted().toList()).equals(signedHeaders)) {
            return "SignedHeaders " + signedHeaders + " are not sorted";
        }

        // The signature over the request as it arrived.
        StringBuilder canonical = new StringBuilder(method).append('\n').append(canonicalPath(rawPath)).append("\n\n");
        for (String name : signed) {
            List<String> values = headers.get(name);
            if (values == null) {
                return "signed header " + name + " is not in the request";
            }
            canonical.append(name).append(':')
                    .append(String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList())).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(hex(sha256(body)));
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + expectedScope + "/aws4_request\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        if (!hex(hmac(key, stringToSign)).equals(authorization.group(6))) {
            return "The request signature we calculated does not match the signature you provided";
        }
        return null;
    }

    /** The path as sent, URI-encoded once more but for its slashes (RFC 3986 unreserved characters kept); "/" when empty. */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
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
}
