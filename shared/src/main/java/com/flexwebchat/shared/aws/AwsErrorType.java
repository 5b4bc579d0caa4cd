package com.flexwebchat.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The error type of an AWS error answer ({@code AccessDeniedException}, {@code MessageRejected}...), read the way
 * the AWS SDKs read it for the JSON protocols (awsJson1_0, awsJson1_1) and restJson1
 * (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization): the
 * {@code X-Amzn-ErrorType} header first, else the body's {@code __type}, else its {@code code}. A value may be
 * {@code Name}, {@code namespace#Name} or {@code Name:http://internal.amazon.com/coral/...}: what follows the first
 * {@code :} is dropped, then what precedes the first {@code #}. Never AWS's message, which can quote what was sent.
 */
public final class AwsErrorType {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{1,100}");

    private AwsErrorType() {
    }

    /**
     * @param header the answer's {@code X-Amzn-ErrorType} header, or null
     * @param body   the answer's body (may be empty, or not JSON: a proxy's error page)
     * @return the error type, or null when the answer names none that is readable
     */
    public static String of(String header, byte[] body) {
        String type = clean(header);
        if (type != null) {
            return type;
        }
        JsonNode answer;
        try {
            answer = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null; // not JSON; no cause kept: a parser's message quotes the body
        }
        if (answer == null || !answer.isObject()) {
            return null;
        }
        type = clean(answer.path("__type").asText(null));
        return type != null ? type : clean(answer.path("code").asText(null));
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String type = value.indexOf(':') < 0 ? value : value.substring(0, value.indexOf(':'));
        type = type.substring(type.indexOf('#') + 1).strip();
        return NAME.matcher(type).matches() ? type : null;
    }
}
