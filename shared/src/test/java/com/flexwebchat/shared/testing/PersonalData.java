package com.flexwebchat.shared.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.store.IpAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The visitors' values a test used (addresses, emails, identities), to check afterwards that none
 * of them is kept in the clear: not in the store's items, not in the logs.
 */
public final class PersonalData {

    private final Set<String> values = ConcurrentHashMap.newKeySet();

    /** Registers a value (an address also in the form the JDK writes it) and answers it. */
    public String used(String value) {
        if (value != null && !value.isBlank()) {
            values.add(value.strip().toLowerCase(Locale.ROOT));
            if (IpAddress.parse(value).isPresent()) {
                values.add(IpAddress.canonical(value).toLowerCase(Locale.ROOT));
            }
        }
        return value;
    }

    public Set<String> values() {
        return Set.copyOf(values);
    }

    /** Fails when any registered value is in the store's items or in the log text. */
    public void assertNoneIn(List<JsonNode> items, String logs) {
        for (String value : values) {
            for (JsonNode item : items) {
                assertFalse(item.toString().toLowerCase(Locale.ROOT).contains(value), "the store keeps " + value + " in the clear: " + item);
            }
            for (String line : logs.split("\n")) {
                assertFalse(line.toLowerCase(Locale.ROOT).contains(value), "the logs hold " + value + " in the clear: " + line);
            }
        }
    }
}
