package com.flexwebchat.conversations.transcript;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address a transcript may be sent to: one mailbox, written as mail systems take it without
 * quoting or encoding (RFC 5321's dot-atom local part of at most 64 characters, a domain of
 * letters, digits and hyphens with a dot, 254 characters in all). The pre-engagement form's own
 * check is looser (the address is for an agent to read); an address that passes it but not this
 * gets no transcript. Nothing here can carry a second recipient, a header or a display name.
 */
final class TranscriptAddress {

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private TranscriptAddress() {
    }

    /** The address as given (trimmed), when it is one mailbox a transcript may go to. */
    static Optional<String> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String address = value.strip();
        int at = address.lastIndexOf('@');
        if (address.length() > 254 || at < 1 || at > 64 || at == address.length() - 1) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        return LOCAL.matcher(local).matches() && DOMAIN.matcher(domain).matches() ? Optional.of(address) : Optional.empty();
    }

    /** Two spellings of one mailbox: the domain is case-insensitive, and so, in practice, is the local part. */
    static boolean same(String a, String b) {
        return a != null && b != null && a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }
}
