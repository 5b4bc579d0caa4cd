package com.flexwebchat.shared.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals, read without ever asking DNS: IPv4 dotted quads and IPv6 (which the JDK
 * parses as a literal whenever the text has a colon).
 */
public final class IpAddress {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpAddress() {
    }

    /** The address's bytes (4 or 16), or empty when the text is not an IP address literal. */
    public static Optional<byte[]> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip();
        if (!IPV4.matcher(value).matches() && !IPV6.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(value).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The literal as the JDK writes it, or the text as given when it is not one. */
    public static String canonical(String text) {
        return parse(text).map(bytes -> {
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(text == null ? "" : text.strip());
    }

    /** Whether {@code address} lies in {@code network}/{@code prefixLength} (same family only). */
    public static boolean inRange(byte[] address, byte[] network, int prefixLength) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
