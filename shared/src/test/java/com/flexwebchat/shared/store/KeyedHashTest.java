package com.flexwebchat.shared.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the store and the logs keep of a visitor's address, email and identity. */
class KeyedHashTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    final KeyedHash hash = new KeyedHash(KEY);

    @Test
    void theSameValueGivesTheSameHashEveryTime() {
        assertEquals(hash.of(KeyedHash.Kind.IP, "203.0.113.7"), new KeyedHash(KEY.clone()).of(KeyedHash.Kind.IP, "203.0.113.7"));
        assertEquals(hash.of(KeyedHash.Kind.IDENTITY, "visitor-1"), hash.of(KeyedHash.Kind.IDENTITY, "visitor-1"));
        assertNotEquals(hash.of(KeyedHash.Kind.IP, "203.0.113.7"), hash.of(KeyedHash.Kind.IP, "203.0.113.8"));
    }

    @Test
    void itIsAKindThenFortyThreeCharactersOfBase64Url() {
        for (KeyedHash.Kind kind : KeyedHash.Kind.values()) {
            String value = hash.of(kind, "ada@example.com");
            String prefix = kind.name().toLowerCase() + ":";
            assertTrue(value.startsWith(prefix), value);
            assertTrue(value.substring(prefix.length()).matches("[A-Za-z0-9_-]{43}"), value);
        }
    }

    @Test
    void kindsAreSeparate() {
        Set<String> hashes = Stream.of(KeyedHash.Kind.values()).map(kind -> hash.of(kind, "x").split(":")[1])
                .collect(Collectors.toSet());
        assertEquals(KeyedHash.Kind.values().length, hashes.size(), "an identity never matches an email of the same text");
    }

    @Test
    void anotherKeyGivesAnotherHash() {
        KeyedHash other = new KeyedHash("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(hash.of(KeyedHash.Kind.EMAIL, "ada@example.com"), other.of(KeyedHash.Kind.EMAIL, "ada@example.com"));
    }

    @Test
    void anEmailIsOneVisitorWhateverItsCaseAndSpaces() {
        String expected = hash.of(KeyedHash.Kind.EMAIL, "ada@example.com");
        assertEquals(expected, hash.of(KeyedHash.Kind.EMAIL, "Ada@Example.COM"));
        assertEquals(expected, hash.of(KeyedHash.Kind.EMAIL, "  ada@example.com "));
        assertNotEquals(expected, hash.of(KeyedHash.Kind.EMAIL, "ada@example.org"));
    }

    @Test
    void anIdentityIsTakenAsItIs() {
        assertNotEquals(hash.of(KeyedHash.Kind.IDENTITY, "Visitor"), hash.of(KeyedHash.Kind.IDENTITY, "visitor"));
    }

    @Test
    void everyWayOfWritingOneIpv6AddressIsOneAddress() {
        String expected = hash.of(KeyedHash.Kind.IP, "2001:db8::1");
        for (String form : new String[] {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:DB8::1", "2001:db8:0:0::1",
                "2001:db8::0:1", " 2001:db8::1 "}) {
            assertEquals(expected, hash.of(KeyedHash.Kind.IP, form), form);
        }
        assertNotEquals(expected, hash.of(KeyedHash.Kind.IP, "2001:db8::2"));
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Address() {
        assertEquals(hash.of(KeyedHash.Kind.IP, "203.0.113.7"), hash.of(KeyedHash.Kind.IP, "::ffff:203.0.113.7"));
    }

    @Test
    void theOutputHoldsNothingOfTheValue() {
        String[][] values = {{"IP", "203.0.113.7"}, {"IP", "2001:db8::1"}, {"EMAIL", "ada@example.com"},
                {"IDENTITY", "visitor-7f3a"}};
        for (String[] value : values) {
            String output = hash.of(KeyedHash.Kind.valueOf(value[0]), value[1]);
            for (String part : value[1].split("[.:@-]")) {
                if (part.length() >= 3) {
                    assertFalse(output.substring(output.indexOf(':') + 1).contains(part), output + " holds " + part);
                }
            }
            String hex = HexFormat.of().formatHex(value[1].getBytes(StandardCharsets.UTF_8));
            assertFalse(output.contains(hex));
        }
    }

    @Test
    void aShortKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyedHash(new byte[15]));
    }

    @Test
    void theKeyIsCopied() {
        byte[] key = KEY.clone();
        KeyedHash copied = new KeyedHash(key);
        String before = copied.of(KeyedHash.Kind.IP, "203.0.113.7");
        key[0] ^= 1;
        assertEquals(before, copied.of(KeyedHash.Kind.IP, "203.0.113.7"));
    }

    // --- IpAddress -------------------------------------------------------------------------------------------

    @Test
    void ipAddressesAreReadAsLiteralsOnly() {
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 7}, IpAddress.parse("203.0.113.7").orElseThrow());
        assertEquals(16, IpAddress.parse("2001:db8::1").orElseThrow().length);
        for (String notOne : new String[] {"localhost", "example.com", "203.0.113", "256.0.0.1", "203.0.113.7.1", "", " ",
                "1.2.3.4/24", "::g"}) {
            assertEquals(Optional.empty(), IpAddress.parse(notOne).map(b -> "bytes"), notOne);
        }
        assertEquals(Optional.empty(), IpAddress.parse(null));
        assertEquals("2001:db8:0:0:0:0:0:1", IpAddress.canonical("2001:DB8::1"));
        assertEquals("not an address", IpAddress.canonical(" not an address "));
    }

    @Test
    void inRangeComparesThePrefixBitsOfOneFamily() {
        byte[] network = IpAddress.parse("203.0.112.0").orElseThrow();
        assertTrue(IpAddress.inRange(IpAddress.parse("203.0.113.255").orElseThrow(), network, 23));
        assertFalse(IpAddress.inRange(IpAddress.parse("203.0.114.0").orElseThrow(), network, 23));
        assertTrue(IpAddress.inRange(IpAddress.parse("198.51.100.1").orElseThrow(), network, 0));
        assertFalse(IpAddress.inRange(IpAddress.parse("2001:db8::1").orElseThrow(), network, 0), "IPv6 is never in an IPv4 range");
    }
}
