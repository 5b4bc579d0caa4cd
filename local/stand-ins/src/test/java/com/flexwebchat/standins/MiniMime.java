package com.flexwebchat.standins;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal reader of RFC 5322/MIME messages, written from the RFCs for the round-trip tests: it insists on CRLF
 * line ends and lines of at most 998 characters, unfolds headers, decodes encoded-words and RFC 2231 parameters,
 * splits multiparts at their boundaries and decodes base64, quoted-printable and 7bit bodies.
 */
final class MiniMime {

    /** One entity: its headers (lower-case names, unfolded, encoded-words left as they are), and its parts or body. */
    record Part(Map<String, String> headers, List<Part> parts, byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The media type, lower-case, without parameters. */
        String type() {
            String value = header("content-type");
            return value == null ? "text/plain" : value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        }

        /** A parameter of a header, RFC 2231 {@code name*=UTF-8''...} decoded, quotes removed. */
        String parameter(String header, String name) {
            String value = header(header);
            if (value == null) {
                return null;
            }
            Matcher extended = Pattern.compile(";\\s*" + name + "\\*=([^']*)'[^']*'([^;\\s]*)", Pattern.CASE_INSENSITIVE).matcher(value);
            if (extended.find()) {
                return percentDecode(extended.group(2), Charset.forName(extended.group(1)));
            }
            Matcher plain = Pattern.compile(";\\s*" + name + "=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]+)", Pattern.CASE_INSENSITIVE)
                    .matcher(value);
            if (plain.find()) {
                return plain.group(2) != null ? plain.group(2).replaceAll("\\\\(.)", "$1") : plain.group(1);
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private MiniMime() {
    }

    static Part parse(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                throw new AssertionError("a bare CR or LF at " + i);
            }
        }
        for (String line : text.split("\r\n", -1)) {
            if (line.length() > 998) {
                throw new AssertionError("a line of " + line.length() + " characters");
            }
        }
        return entity(text);
    }

    private static Part entity(String text) {
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(" ") || line.startsWith("\t")) {
                headers.merge(name, line, String::concat); // unfolding: the CRLF goes, the whitespace stays
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("not a header line: " + line);
            }
            name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (headers.containsKey(name)) {
                throw new AssertionError("header " + name + " twice");
            }
            headers.put(name, line.substring(colon + 1).strip());
        }
        Part shell = new Part(headers, List.of(), new byte[0]);
        if (shell.type().startsWith("multipart/")) {
            String boundary = shell.parameter("content-type", "boundary");
            List<Part> parts = new ArrayList<>();
            String delimiter = "\r\n--" + boundary;
            String rest = "\r\n" + body;
            int at = rest.indexOf(delimiter + "\r\n");
            if (at < 0) {
                throw new AssertionError("no first boundary " + boundary);
            }
            at += delimiter.length() + 2;
            while (true) {
                int next = rest.indexOf(delimiter, at);
                if (next < 0) {
                    throw new AssertionError("no closing boundary " + boundary);
                }
                parts.add(entity(rest.substring(at, next)));
                at = next + delimiter.length();
                if (rest.startsWith("--", at)) {
                    break;
                }
                at += 2;
            }
            return new Part(headers, parts, new byte[0]);
        }
        String encoding = String.valueOf(shell.header("content-transfer-encoding")).toLowerCase(Locale.ROOT);
        byte[] decoded = switch (encoding) {
            case "base64" -> Base64.getMimeDecoder().decode(body);
            case "quoted-printable" -> quotedPrintable(body);
            default -> (body.endsWith("\r\n") ? body.substring(0, body.length() - 2) : body).getBytes(StandardCharsets.ISO_8859_1);
        };
        return new Part(headers, List.of(), decoded);
    }

    /** Encoded-words decoded (B and Q), whitespace between adjacent ones dropped. */
    static String decodeWords(String value) {
        Matcher word = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=").matcher(value);
        StringBuilder out = new StringBuilder();
        int at = 0;
        boolean previousWord = false;
        while (word.find()) {
            String between = value.substring(at, word.start());
            if (!(previousWord && between.isBlank())) {
                out.append(between);
            }
            byte[] bytes = word.group(2).equalsIgnoreCase("B") ? Base64.getDecoder().decode(word.group(3))
                    : quotedPrintable(word.group(3).replace('_', ' '));
            out.append(new String(bytes, Charset.forName(word.group(1))));
            at = word.end();
            previousWord = true;
        }
        return out.append(value.substring(at)).toString();
    }

    private static byte[] quotedPrintable(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String joined = text.replace("=\r\n", "");
        if (joined.endsWith("\r\n")) {
            joined = joined.substring(0, joined.length() - 2);
        }
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '=') {
                out.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static String percentDecode(String value, Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(charset);
    }
}
