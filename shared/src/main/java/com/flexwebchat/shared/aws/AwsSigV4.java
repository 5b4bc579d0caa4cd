package com.flexwebchat.shared.aws;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for a request sent with an {@code Authorization} header
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), for every
 * service but S3 (whose paths are encoded once, not twice). Just enough for our calls, so the
 * functions need no AWS SDK.
 */
public final class AwsSigV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final java.time.format.DateTimeFormatter AMZ_DATE =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

    private AwsSigV4() {
    }

    /** A request's {@code X-Amz-Date}: {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
    public static String amzDate(java.time.Instant instant) {
        return AMZ_DATE.format(instant);
    }

    /**
     * The {@code Authorization} header value for a request.
     *
     * @param amzDate the request's {@code X-Amz-Date}, {@code yyyyMMdd'T'HHmmss'Z'} in UTC
     * @param headers the headers to sign, which must include {@code host} and {@code x-amz-date}
     *                (and {@code x-amz-security-token} when there is a session token); names in any case
     */
    public static String authorization(AwsCredentials credentials, String region, String service, String amzDate,
            String method, URI uri, Map<String, String> headers, byte[] body) {
        Map<String, String> canonicalHeaders = new TreeMap<>();
        headers.forEach((name, value) -> canonicalHeaders.put(
                name.toLowerCase(Locale.ROOT), value.trim().replaceAll(" +", " ")));
        String signedHeaders = String.join(";", canonicalHeaders.keySet());

        String canonicalRequest = String.join("\n",
                method,
                canonicalPath(uri.getRawPath()),
                canonicalQuery(uri.getRawQuery()),
                canonicalHeaders.entrySet().stream()
                        .map(header -> header.getKey() + ":" + header.getValue() + "\n")
                        .collect(Collectors.joining()),
                signedHeaders,
                hex(sha256(body)));

        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", ALGORITHM, amzDate, scope,
                hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));

        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        for (String part : new String[] {region, service, "aws4_request"}) {
            key = hmac(key, part);
        }
        String signature = hex(hmac(key, stringToSign));

        return ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
    }

    /** Each segment of the (already once-encoded) path encoded again; "/" when empty. */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return encode(rawPath).replace("%2F", "/");
    }

    /** Parameters sorted by name, then value, each name and value URI-encoded. */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String parameter : rawQuery.split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            parameters.add(new String[] {encode(decode(name)), encode(decode(value))});
        }
        parameters.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return parameters.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    /** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ as %XX with upper-case hex. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    /** Percent-decoding; unlike form decoding, "+" stays "+". */
    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
