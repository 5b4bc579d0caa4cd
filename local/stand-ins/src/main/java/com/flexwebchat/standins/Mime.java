package com.flexwebchat.standins;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** The bits of MIME (RFC 2045-2047, 2231, 5322) that writing a captured email as an .eml file needs. */
final class Mime {

    static final String CRLF = "\r\n";
    /** A header value that needs no encoding: printable ASCII only. */
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");
    /** RFC 5322 atext and spaces: a display name that needs no quoting. */
    private static final Pattern ATOMS = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+");
    /** RFC 2045 token characters: a parameter value that needs no quoting. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`{|}~-]+");
    /** An encoded-word is at most 75 characters (RFC 2047 section 2); "=?UTF-8?B?" and "?=" take 12. */
    private static final int MAX_ENCODED_BYTES = (75 - 12) / 4 * 3;

    private Mime() {
    }

    /**
     * {@code Name: value}, the value as it is when it is printable ASCII and the line fits in 78 characters, else as
     * RFC 2047 encoded-words, one per folded line: a CR or LF in a value can never start a header of its own.
     */
    static String header(String name, String value) {
        if (PRINTABLE.matcher(value).matches() && name.length() + 2 + value.length() <= 78) {
            return name + ": " + value + CRLF;
        }
        return name + ": " + encodedWords(value).replace(" ", CRLF + " ") + CRLF;
    }

    /** {@code address} or {@code Name <address>}, the name quoted or encoded as it needs. */
    static String mailbox(String name, String address) {
        if (name == null || name.isEmpty()) {
            return address;
        }
        if (ATOMS.matcher(name).matches()) {
            return name + " <" + address + ">";
        }
        if (PRINTABLE.matcher(name).matches()) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + address + ">";
        }
        return encodedWords(name) + " <" + address + ">";
    }

    /** {@code =?UTF-8?B?...?=} words of at most 75 characters, split between code points, separated by spaces. */
    static String encodedWords(String text) {
        StringBuilder words = new StringBuilder();
        int start = 0;
        do {
            int end = start;
            int bytes = 0;
            while (end < text.length()) {
                int codePoint = text.codePointAt(end);
                int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + size > MAX_ENCODED_BYTES) {
                    break;
                }
                bytes += size;
                end += Character.charCount(codePoint);
            }
            if (words.length() > 0) {
                words.append(' ');
            }
            words.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(
                    text.substring(start, end).getBytes(StandardCharsets.UTF_8))).append("?=");
            start = end;
        } while (start < text.length());
        return words.toString();
    }

    /**
     * {@code ; name="value"}, or RFC 2231's {@code ; name*=UTF-8''percent-encoded} when the value is not printable
     * ASCII (a file name in another script, or with a quote or a line break in it).
     */
    static String parameter(String name, String value) {
        if (TOKEN.matcher(value).matches()) {
            return "; " + name + "=" + value;
        }
        if (PRINTABLE.matcher(value).matches() && value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
            return "; " + name + "=\"" + value + "\"";
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return ";" + CRLF + " " + name + "*=UTF-8''" + encoded;
    }

    /** Base64 in lines of 76 characters, each ended with CRLF (RFC 2045 section 6.8). */
    static String base64Lines(byte[] content) {
        return Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII)).encodeToString(content)
                + (content.length == 0 ? "" : CRLF);
    }

    /** Quoted-printable (RFC 2045 section 6.7): line breaks kept as CRLF, lines soft-broken before 76 characters. */
    static String quotedPrintable(byte[] content) {
        StringBuilder out = new StringBuilder();
        int lineLength = 0;
        for (int i = 0; i < content.length; i++) {
            int c = content[i] & 0xff;
            if (c == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                out.append(CRLF);
                lineLength = 0;
                i++;
                continue;
            }
            boolean lineEnd = i + 1 == content.length || content[i + 1] == '\r';
            String piece = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !lineEnd)
                    ? String.valueOf((char) c) : String.format("=%02X", c);
            if (lineLength + piece.length() > 75) {
                out.append('=').append(CRLF);
                lineLength = 0;
            }
            out.append(piece);
            lineLength += piece.length();
        }
        return out.append(CRLF).toString();
    }

    /** Bytes as they are, in an ISO-8859-1 string so that each byte stays one char (7bit as asked, however wrong). */
    static String raw(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        return text.endsWith(CRLF) ? text : text + CRLF;
    }
}
