package com.flexwebchat.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the store keeps of a visitor's identity it must give back. */
class SealedValuesTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final String IDENTITY = "3c340e5f-289d-4ab7-8f91-e7757ec3d3d6";

    final SealedValues sealed = new SealedValues(KEY);

    @Test
    void whatIsSealedOpensUnderTheSameKey() {
        String text = sealed.seal(IDENTITY);

        assertTrue(text.startsWith("sealed:"), text);
        assertEquals(Optional.of(IDENTITY), sealed.open(text));
        assertEquals(Optional.of(IDENTITY), new SealedValues(KEY.clone()).open(text), "on every instance");
    }

    @Test
    void theSealedTextHoldsNothingOfTheValueAndDiffersEachTime() {
        String first = sealed.seal(IDENTITY);
        String second = sealed.seal(IDENTITY);

        assertNotEquals(first, second);
        for (String part : IDENTITY.split("-")) {
            assertFalse(first.contains(part), first);
        }
        assertFalse(new String(Base64.getUrlDecoder().decode(first.substring(7)), StandardCharsets.ISO_8859_1).contains("3c340e5f"));
    }

    @Test
    void anAlteredOrForeignTextDoesNotOpen() {
        String text = sealed.seal(IDENTITY);
        byte[] bytes = Base64.getUrlDecoder().decode(text.substring("sealed:".length()));
        bytes[bytes.length / 2] ^= 1; // one bit of the ciphertext
        String altered = "sealed:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertEquals(Optional.empty(), sealed.open(altered));
        assertEquals(Optional.empty(), new SealedValues("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8)).open(text));
        assertEquals(Optional.empty(), sealed.open(IDENTITY), "a value kept in the clear is not taken as sealed");
        assertEquals(Optional.empty(), sealed.open("sealed:"));
        assertEquals(Optional.empty(), sealed.open("sealed:!!!"));
        assertEquals(Optional.empty(), sealed.open(null));
    }

    @Test
    void aShortKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SealedValues(new byte[15]));
    }
}
