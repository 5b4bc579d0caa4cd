package com.flexwebchat.emulator.http;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Twilio resource identifiers: a two-letter type prefix followed by 32 lower-case hex digits,
 * e.g. {@code CH} conversations and chat channels, {@code MB} participants and members,
 * {@code IM} conversation messages, {@code US} users, {@code IS} services, {@code RL} roles.
 *
 * @see <a href="https://www.twilio.com/docs/glossary/what-is-a-sid">What is a SID?</a>
 */
public final class Sids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[0-9a-f]{32}");

    private Sids() {
    }

    /** A fresh random SID with the given prefix. */
    public static String random(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return requirePrefix(prefix) + HexFormat.of().formatHex(bytes);
    }

    /** A stable SID derived from a seed, for resources the emulator pre-provisions (e.g. roles). */
    public static String derived(String prefix, String seed) {
        UUID uuid = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
        return requirePrefix(prefix) + uuid.toString().replace("-", "");
    }

    /** Whether {@code value} is a well-formed SID with the given prefix. */
    public static boolean isSid(String prefix, String value) {
        return value != null && value.startsWith(prefix) && SHAPE.matcher(value).matches();
    }

    private static String requirePrefix(String prefix) {
        if (prefix == null || !prefix.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("SID prefix must be two upper-case letters: " + prefix);
        }
        return prefix;
    }
}
