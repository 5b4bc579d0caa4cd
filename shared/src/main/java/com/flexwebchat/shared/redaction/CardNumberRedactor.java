package com.flexwebchat.shared.redaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.flexwebchat.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Masks payment card numbers to their last four digits (PCI DSS lets a display show at most the
 * first six and the last four), so a number a visitor types never reaches the agent, the
 * transcript or a log.
 *
 * <p>A card number is 13 to 19 digits (ISO/IEC 7812) whose Luhn check digit is right, written the
 * way a person reads it: together, or in groups with up to {@value #MAX_GAP} characters between
 * two groups that a person reads through ({@link #readThrough}): white space of any kind (spaces,
 * no-break and thin spaces, tabs, line breaks), invisible format characters (zero-width space,
 * zero-width joiners, word joiner, BOM, soft hyphen, direction marks), combining marks (a keycap,
 * a strike-through), every dash and minus sign, dots, slashes, backslashes, underscores and middle
 * dots. A digit is any Unicode decimal digit (ASCII, full-width, Arabic-Indic, mathematical...) or
 * a single-digit number sign (circled, superscript, subscript). Anything else (a letter, a comma,
 * a {@code +}) ends a number.
 *
 * <p>Each masked digit becomes {@code •} and everything else stays, so the text keeps its shape:
 * {@code •••• •••• •••• 1111}. A grouped run of digits longer than a card (a card number followed
 * by its security code, two cards in a row) is searched for the longest valid span of whole groups
 * from the left; an ungrouped run is a card only as a whole, so a 20-digit reference number is
 * never cut into a "card". Luhn keeps most other numbers out: nine in ten random numbers fail it,
 * and phone numbers as people write them have 12 digits or fewer.
 *
 * <p>{@link #redactJson} and {@link #redactTree} mask keys as well as values: a visitor names the
 * fields of a pre-engagement form, and a card typed as a field's name is as much a card.
 */
public final class CardNumberRedactor {

    static final char MASK = '•';
    static final int MIN_DIGITS = 13;
    static final int MAX_DIGITS = 19;
    /** The most characters (code points) between two groups of one number: {@code " - "}, a keycap and a space. */
    static final int MAX_GAP = 5;
    private static final int VISIBLE_DIGITS = 4;
    /**
     * A value that is a Twilio SID as Twilio mints it (two capitals, 32 lower-case hex digits) is
     * left whole: it names a resource (a task's conversation, a log line's), and about one in 700
     * has a run of digits that passes Luhn, which masked would name nothing. A visitor's text is
     * never exactly one.
     */
    private static final Pattern TWILIO_SID = Pattern.compile("[A-Z]{2}[0-9a-f]{32}");

    /** The text with every card number masked, and how many there were. */
    public record Redaction(String text, int cardNumbers) {

        public boolean changed() {
            return cardNumbers > 0;
        }
    }

    /**
     * Masks until nothing changes: the four digits a card keeps can start another valid span with
     * the groups after it ("9050671326409 1745 0 2 606" keeps 6409, and "6409 1745 0 2 606" passes
     * Luhn), so a single pass would mask more when a text is screened again (an edited message,
     * the task attributes from an already masked form). At a fixed point, a second redaction
     * changes nothing. Each pass after the first masks at least one more digit, and nearly every
     * text takes one pass, or two when it has a card.
     */
    public Redaction redact(String text) {
        if (text != null && TWILIO_SID.matcher(text).matches()) {
            return new Redaction(text, 0);
        }
        Redaction result = pass(text);
        int cards = result.cardNumbers();
        while (result.changed()) {
            result = pass(result.text());
            cards += result.cardNumbers();
        }
        return cards == 0 ? new Redaction(text, 0) : new Redaction(result.text(), cards);
    }

    private Redaction pass(String text) {
        if (text == null || text.isEmpty()) {
            return new Redaction(text, 0);
        }
        int n = text.length();
        // Digit groups of the current run: start and end char indexes, digit count (a digit may be two chars).
        List<int[]> groups = null;
        boolean[] masked = null;
        int found = 0;
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (digitValue(cp) < 0) {
                i += Character.charCount(cp);
                continue;
            }
            if (groups == null) {
                groups = new ArrayList<>();
            }
            groups.clear();
            // A run: groups of digits joined by short gaps of characters read through.
            int j = i;
            while (true) {
                int start = j;
                int digits = 0;
                while (j < n && digitValue(text.codePointAt(j)) >= 0) {
                    j += Character.charCount(text.codePointAt(j));
                    digits++;
                }
                groups.add(new int[] {start, j, digits});
                int k = j;
                int gap = 0;
                while (k < n && gap <= MAX_GAP && readThrough(text.codePointAt(k))) {
                    k += Character.charCount(text.codePointAt(k));
                    gap++;
                }
                if (gap >= 1 && gap <= MAX_GAP && k < n && digitValue(text.codePointAt(k)) >= 0) {
                    j = k;
                } else {
                    break;
                }
            }
            int first = 0;
            while (first < groups.size()) {
                int last = longestCardFrom(text, groups, first);
                if (last < 0) {
                    first++;
                    continue;
                }
                if (masked == null) {
                    masked = new boolean[n];
                }
                mark(text, masked, groups.get(first)[0], groups.get(last)[1]);
                found++;
                first = last + 1;
            }
            i = j;
        }
        if (masked == null) {
            return new Redaction(text, 0);
        }
        StringBuilder out = new StringBuilder(n);
        for (int k = 0; k < n; ) {
            int cp = text.codePointAt(k);
            if (masked[k]) {
                out.append(MASK);
            } else {
                out.appendCodePoint(cp);
            }
            k += Character.charCount(cp);
        }
        return new Redaction(out.toString(), found);
    }

    /**
     * Masks card numbers in every string (and every integer) of a JSON document, such as a
     * message's attributes, and in every key, keeping it valid JSON. Null when there was nothing
     * to mask.
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
        if (root == null) {
            return null;
        }
        // Parsed rather than scanned as text, so digits written as JSON unicode escapes are found too.
        int[] found = {0};
        JsonNode redacted = redactNode(root, found);
        return found[0] == 0 ? null : Json.write(redacted);
    }

    /**
     * Masks card numbers in every string, integer and key of a JSON tree, objects and arrays in
     * place; returns the tree (or, for a bare value that needed masking, the masked string).
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
            ObjectNode object = (ObjectNode) node;
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            boolean renamed = false;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                Redaction key = redact(field.getKey());
                found[0] += key.cardNumbers();
                renamed |= key.changed();
                fields.add(Map.entry(key.text(), redactNode(field.getValue(), found)));
            }
            if (renamed) {
                // Rebuilt in order; two names that mask alike both stay ("•••• 1111", "•••• 1111 (2)").
                object.removeAll();
                for (Map.Entry<String, JsonNode> field : fields) {
                    String name = field.getKey();
                    for (int copy = 2; object.has(name); copy++) {
                        name = field.getKey() + " (" + copy + ")";
                    }
                    object.set(name, field.getValue());
                }
            } else {
                for (Map.Entry<String, JsonNode> field : fields) {
                    object.set(field.getKey(), field.getValue());
                }
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
    private static int longestCardFrom(String text, List<int[]> groups, int first) {
        int best = -1;
        int digits = 0;
        for (int last = first; last < groups.size(); last++) {
            digits += groups.get(last)[2];
            if (digits > MAX_DIGITS) {
                break;
            }
            if (digits >= MIN_DIGITS && luhnValid(text, groups.get(first)[0], groups.get(last)[1])) {
                best = last;
            }
        }
        return best;
    }

    /** The Luhn check over the digits in {@code text[from, to)}, everything else skipped. */
    static boolean luhnValid(String text, int from, int to) {
        int sum = 0;
        boolean doubled = false;
        for (int k = to; k > from; ) {
            int cp = text.codePointBefore(k);
            k -= Character.charCount(cp);
            int d = digitValue(cp);
            if (d < 0) {
                continue;
            }
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

    /** Marks every digit in {@code text[from, to)} but the last four. */
    private static void mark(String text, boolean[] masked, int from, int to) {
        int kept = 0;
        for (int k = to; k > from; ) {
            int cp = text.codePointBefore(k);
            k -= Character.charCount(cp);
            if (digitValue(cp) < 0) {
                continue;
            }
            if (kept < VISIBLE_DIGITS) {
                kept++;
            } else {
                masked[k] = true;
            }
        }
    }

    /** The digit a person reads in {@code cp} (a decimal digit of any script, a circled or superscript digit), or -1. */
    static int digitValue(int cp) {
        if (cp >= '0' && cp <= '9') {
            return cp - '0';
        }
        if (cp < 0x80) {
            return -1;
        }
        if (Character.isDigit(cp)) {
            return Character.digit(cp, 10);
        }
        if (Character.getType(cp) == Character.OTHER_NUMBER) {
            int value = Character.getNumericValue(cp);
            return value >= 0 && value <= 9 ? value : -1;
        }
        return -1;
    }

    /** What a person reads through between digit groups (see the class comment). */
    static boolean readThrough(int cp) {
        switch (cp) {
            case ' ', '\t', '\n', '\r', '-', '.', '/', '\\', '_', '\u00B7', '\u2027', '\u2219', '\u22C5', '\u30FB',
                 '\uFF0E', '\uFF0F', '\uFF3C', '\u2212', '\uFE63', '\uFF0D' -> {
                return true;
            }
            default -> {
                if (cp < 0x80) {
                    return false;
                }
                int type = Character.getType(cp);
                return Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                        || type == Character.FORMAT || type == Character.NON_SPACING_MARK
                        || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK
                        || type == Character.DASH_PUNCTUATION;
            }
        }
    }
}
