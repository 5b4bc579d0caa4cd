package com.flexwebchat.shared.redaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.flexwebchat.shared.json.Json;
import java.util.Map;

/**
 * Masks payment card numbers to their last four digits (PCI DSS lets a display show at most the
 * first six and the last four), so a number a visitor types never reaches the agent, the
 * transcript or a log.
 *
 * <p>A card number is 13 to 19 digits (ISO/IEC 7812) whose Luhn check digit is right, written
 * together or in groups separated by one space or dash ({@code 4111 1111 1111 1111},
 * {@code 3782-822463-10005}). Each masked digit becomes {@code •} and the separators stay, so
 * the text keeps its shape: {@code •••• •••• •••• 1111}. A grouped run of digits longer than a
 * card (a card number followed by its security code, two cards in a row) is searched for the
 * longest valid span of whole groups from the left; an ungrouped run is a card only as a whole,
 * so a 20-digit reference number is never cut into a "card". Luhn keeps most phone and order
 * numbers out: nine in ten random numbers fail it.
 */
public final class CardNumberRedactor {

    static final char MASK = '•';
    static final int MIN_DIGITS = 13;
    static final int MAX_DIGITS = 19;
    private static final int VISIBLE_DIGITS = 4;

    /** The text with every card number masked, and how many there were. */
    public record Redaction(String text, int cardNumbers) {

        public boolean changed() {
            return cardNumbers > 0;
        }
    }

    public Redaction redact(String text) {
        if (text == null || text.isEmpty()) {
            return new Redaction(text, 0);
        }
        char[] chars = null;
        int found = 0;
        int i = 0;
        int n = text.length();
        int[] groupStarts = null;
        int[] groupEnds = null;
        while (i < n) {
            if (!Character.isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            if (groupStarts == null) {
                // Groups take at least two characters each but the last.
                groupStarts = new int[n / 2 + 1];
                groupEnds = new int[n / 2 + 1];
            }
            // A run: groups of digits joined by single separators.
            int groups = 0;
            int j = i;
            while (true) {
                int start = j;
                while (j < n && Character.isDigit(text.charAt(j))) {
                    j++;
                }
                groupStarts[groups] = start;
                groupEnds[groups] = j;
                groups++;
                if (j + 1 < n && isSeparator(text.charAt(j)) && Character.isDigit(text.charAt(j + 1))) {
                    j++;
                } else {
                    break;
                }
            }
            int first = 0;
            while (first < groups) {
                int last = longestCardFrom(text, groupStarts, groupEnds, first, groups);
                if (last < 0) {
                    first++;
                    continue;
                }
                if (chars == null) {
                    chars = text.toCharArray();
                }
                mask(chars, groupStarts[first], groupEnds[last]);
                found++;
                first = last + 1;
            }
            i = j;
        }
        return chars == null ? new Redaction(text, 0) : new Redaction(new String(chars), found);
    }

    /**
     * Masks card numbers in every string (and every integer) of a JSON document, such as a
     * message's attributes, keeping it valid JSON. Null when there was nothing to mask.
     */
    public String redactJson(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (JsonProcessingException e) {
            // Not JSON: mask it as text.
            Redaction r = redact(json);
            return r.changed() ? r.text() : null;
        }
        // Parsed rather than scanned as text, so digits written as JSON unicode escapes are found too.
        int[] found = {0};
        JsonNode redacted = redactNode(root, found);
        return found[0] == 0 ? null : Json.write(redacted);
    }

    /**
     * Masks card numbers in every string and integer of a JSON tree, objects and arrays in place;
     * returns the tree (or, for a bare value that needed masking, the masked string).
     */
    public JsonNode redactTree(JsonNode node) {
        return redactNode(node, new int[1]);
    }

    private JsonNode redactNode(JsonNode node, int[] found) {
        if (node.isTextual() || node.isIntegralNumber()) {
            // A number masked can only be a string.
            Redaction r = redact(node.asText());
            found[0] += r.cardNumbers();
            return r.changed() ? TextNode.valueOf(r.text()) : node;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : ((ObjectNode) node).properties()) {
                field.setValue(redactNode(field.getValue(), found));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int k = 0; k < array.size(); k++) {
                array.set(k, redactNode(array.get(k), found));
            }
        }
        return node;
    }

    /** The last group of the longest Luhn-valid card number starting at group {@code first}, or -1. */
    private static int longestCardFrom(String text, int[] starts, int[] ends, int first, int groups) {
        int best = -1;
        int digits = 0;
        for (int last = first; last < groups; last++) {
            digits += ends[last] - starts[last];
            if (digits > MAX_DIGITS) {
                break;
            }
            if (digits >= MIN_DIGITS && luhnValid(text, starts[first], ends[last])) {
                best = last;
            }
        }
        return best;
    }

    /** The Luhn check over the digits in {@code text[from, to)}, separators skipped. */
    static boolean luhnValid(String text, int from, int to) {
        int sum = 0;
        boolean doubled = false;
        for (int k = to - 1; k >= from; k--) {
            char c = text.charAt(k);
            if (!Character.isDigit(c)) {
                continue;
            }
            int d = Character.digit(c, 10);
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /** Replaces every digit in {@code chars[from, to)} but the last four with the mask. */
    private static void mask(char[] chars, int from, int to) {
        int kept = 0;
        for (int k = to - 1; k >= from; k--) {
            if (!Character.isDigit(chars[k])) {
                continue;
            }
            if (kept < VISIBLE_DIGITS) {
                kept++;
            } else {
                chars[k] = MASK;
            }
        }
    }

    /** What people put between digit groups: spaces (also no-break ones) and dashes. */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '\u00A0' || c == '\u202F' || (c >= '\u2010' && c <= '\u2013');
    }
}
