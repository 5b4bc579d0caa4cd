package com.flexwebchat.shared.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code Content-Type} value read as RFC 9110 (section 8.3.1) writes it: {@code type "/" subtype
 * *( OWS ";" OWS [ parameter ] )}, each a token, a parameter {@code name "=" ( token /
 * quoted-string )}; type, subtype and parameter names in any case, white space around the value
 * ignored. Anything else does not parse, so {@code application/jsonp} is not JSON with something
 * after it, and {@code application/json, text/plain} (two headers API Gateway joined) is no type.
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {

    public MediaType {
        parameters = Map.copyOf(parameters);
    }

    /** {@code application/json}, with no charset or UTF-8's (RFC 8259: JSON between systems is UTF-8). */
    public static boolean isJson(String header) {
        return parse(header).filter(m -> m.is("application", "json") && m.charsetIsUtf8()).isPresent();
    }

    /** {@code application/x-www-form-urlencoded}, with no charset or UTF-8's (Twilio's webhooks). */
    public static boolean isForm(String header) {
        return parse(header).filter(m -> m.is("application", "x-www-form-urlencoded") && m.charsetIsUtf8()).isPresent();
    }

    public boolean is(String type, String subtype) {
        return this.type.equals(type) && this.subtype.equals(subtype);
    }

    private boolean charsetIsUtf8() {
        String charset = parameters.get("charset");
        return charset == null || charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
    }

    /** The media type, type and subtype and parameter names in lower case; empty when the value is not one. */
    public static Optional<MediaType> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = strip(header);
        int at = token(value, 0);
        if (at == 0 || at >= value.length() || value.charAt(at) != '/') {
            return Optional.empty();
        }
        String type = value.substring(0, at).toLowerCase(Locale.ROOT);
        int subtypeEnd = token(value, at + 1);
        if (subtypeEnd == at + 1) {
            return Optional.empty();
        }
        String subtype = value.substring(at + 1, subtypeEnd).toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = subtypeEnd;
        while (true) {
            i = skipSpace(value, i);
            if (i == value.length()) {
                return Optional.of(new MediaType(type, subtype, parameters));
            }
            if (value.charAt(i) != ';') {
                return Optional.empty();
            }
            i = skipSpace(value, i + 1);
            if (i == value.length() || value.charAt(i) == ';') {
                continue; // an empty parameter is allowed
            }
            int nameEnd = token(value, i);
            if (nameEnd == i || nameEnd >= value.length() || value.charAt(nameEnd) != '=') {
                return Optional.empty();
            }
            String name = value.substring(i, nameEnd).toLowerCase(Locale.ROOT);
            int v = nameEnd + 1;
            String parameter;
            if (v < value.length() && value.charAt(v) == '"') {
                StringBuilder quoted = new StringBuilder();
                int k = v + 1;
                while (k < value.length() && value.charAt(k) != '"') {
                    char c = value.charAt(k);
                    if (c == '\\' && k + 1 < value.length()) {
                        c = value.charAt(++k);
                    }
                    if (c < 0x20 && c != '\t' || c == 0x7F) {
                        return Optional.empty();
                    }
                    quoted.append(c);
                    k++;
                }
                if (k == value.length()) {
                    return Optional.empty(); // no closing quote
                }
                parameter = quoted.toString();
                i = k + 1;
            } else {
                int valueEnd = token(value, v);
                if (valueEnd == v) {
                    return Optional.empty();
                }
                parameter = value.substring(v, valueEnd);
                i = valueEnd;
            }
            parameters.putIfAbsent(name, parameter);
        }
    }

    /** The end of the token starting at {@code from} (== from when there is none). */
    private static int token(String value, int from) {
        int i = from;
        while (i < value.length() && isTokenChar(value.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static int skipSpace(String value, int from) {
        int i = from;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Without the optional white space (spaces and tabs) around a field value. */
    private static String strip(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        return value.substring(from, to);
    }
}
