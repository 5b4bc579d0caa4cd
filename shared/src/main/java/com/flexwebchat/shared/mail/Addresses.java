package com.flexwebchat.shared.mail;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** Addresses and display names as mail headers must carry them. */
final class Addresses {

    /** RFC 5322 atext and spaces: a display name that needs no quoting. */
    private static final Pattern ATOMS = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+");
    /** An encoded-word is at most 75 characters (RFC 2047 section 2); "=?UTF-8?B?" and "?=" take 12. */
    private static final int MAX_ENCODED_BYTES = (75 - 12) / 4 * 3;

    private Addresses() {
    }

    /**
     * The address with an internationalised domain in its ASCII form (punycode, RFC 5891), which SES requires
     * (it does not support SMTPUTF8); the local part as it is. An address without {@code @} is left alone.
     */
    static String ascii(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || address.substring(at + 1).chars().allMatch(c -> c < 0x80)) {
            return address;
        }
        try {
            return address.substring(0, at + 1) + IDN.toASCII(address.substring(at + 1), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return address; // the provider refuses it, with a status we can report
        }
    }

    /**
     * {@code address}, or {@code Name <address>} with the name as RFC 5322 needs it: as it is when it is atoms and
     * spaces, quoted when it is other ASCII, as RFC 2047 encoded-words when it is not ASCII ("If you want to use
     * non-ASCII characters in the friendly from name, you must encode them using MIME encoded-word syntax",
     * https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html). Control characters are dropped.
     */
    static String mailbox(Email.Address mailbox) {
        String address = ascii(mailbox.address());
        String name = mailbox.name() == null ? "" : mailbox.name().replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            return address;
        }
        if (ATOMS.matcher(name).matches()) {
            return name + " <" + address + ">";
        }
        if (name.chars().allMatch(c -> c < 0x80)) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + address + ">";
        }
        return encodedWords(name) + " <" + address + ">";
    }

    /** {@code =?UTF-8?B?...?=} words of at most 75 characters, split between code points, separated by spaces. */
    static String encodedWords(String text) {
        StringBuilder words = new StringBuilder();
        int start = 0;
        while (start < text.length()) {
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
        }
        return words.toString();
    }
}
