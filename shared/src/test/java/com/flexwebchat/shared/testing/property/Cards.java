package com.flexwebchat.shared.testing.property;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Payment card numbers written as people write them, and an oracle that finds one again in any of
 * those forms; also numbers that are not cards (phone and order numbers, dates, Luhn failures).
 *
 * <p>The oracle is written apart from the redactor, on purpose: it reads a text as a person would
 * read digits through it. A digit is any Unicode decimal digit (ASCII, full-width, Arabic-Indic,
 * Devanagari, mathematical...) or a single-digit "other number" (circled, superscript, subscript);
 * it is read through anything a person skips between digits: white space of every kind, invisible
 * format characters (zero-width space, joiners, word joiner, BOM, soft hyphen), combining marks
 * (keycaps, strike-through), every dash, and dots, slashes, underscores and middle dots. Anything
 * else (a letter, a {@code •}) ends the number.
 */
public final class Cards {

    private Cards() {
    }

    // --- numbers ----------------------------------------------------------------------------------------

    /** A Luhn-valid number of 13 to 19 digits, with a real card prefix most of the time. */
    public static Gen<String> pans() {
        return random -> {
            int length = random.nextInt(4) == 0 ? 13 + random.nextInt(7) : List.of(16, 15, 16, 14, 19).get(random.nextInt(5));
            String prefix = List.of("4", "51", "55", "2221", "34", "37", "6011", "65", "35", "36", "62", "9").get(random.nextInt(12));
            StringBuilder digits = new StringBuilder(prefix);
            while (digits.length() < length - 1) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            return digits.append(checkDigit(digits.toString())).toString();
        };
    }

    /** A 13-to-19-digit number whose Luhn check fails. */
    public static Gen<String> luhnInvalid() {
        return pans().map(pan -> {
            int last = pan.charAt(pan.length() - 1) - '0';
            return pan.substring(0, pan.length() - 1) + (char) ('0' + (last + 1 + (last % 3)) % 10);
        });
    }

    /** The digit that makes {@code body + digit} pass the Luhn check. */
    public static char checkDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(body.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    public static boolean luhnValid(String digits) {
        return checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1);
    }

    // --- how people write them ------------------------------------------------------------------------

    /** What people put (or leave invisibly) between digit groups, one to three of them between two groups. */
    public static final List<String> SEPARATORS = List.of(
            " ", " ", "-", "-", ".", "/", "\\", "_", "\t", "\n", "\r\n",
            "\u00A0", "\u202F", "\u2007", "\u2009", "\u200A", "\u3000", "\u1680",   // no-break, narrow, figure, thin, hair, ideographic, ogham spaces
            "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u200E",   // zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen, LRM
            "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uFE63", "\uFF0D",  // hyphens, dashes, minus signs
            "\u00B7", "\u2027", "\u2219", "\u22C5", "\u30FB", "\uFF0E", "\uFF0F", "\uFF3C"); // middle dots, full-width dot and slashes

    /** Decimal digit zeros of other scripts: {@code zero + d} is the digit d. */
    private static final int[] ZEROS = {0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7F6};
    private static final int[] SUPERSCRIPTS = {0x2070, 0x00B9, 0x00B2, 0x00B3, 0x2074, 0x2075, 0x2076, 0x2077, 0x2078, 0x2079};

    /** How one digit is written, for a whole number: ASCII most of the time. */
    private static String digit(int form, int d) {
        return switch (form) {
            case 0 -> String.valueOf((char) ('0' + d));
            case 1 -> new String(Character.toChars(ZEROS[0] + d));            // full-width
            case 2 -> new String(Character.toChars(d == 0 ? 0x24EA : 0x2460 + d - 1)); // circled
            case 3 -> new String(Character.toChars(SUPERSCRIPTS[d]));
            case 4 -> new String(Character.toChars(0x2080 + d));              // subscript
            case 5 -> (char) ('0' + d) + "\uFE0F\u20E3";                      // keycap
            case 6 -> (char) ('0' + d) + "\u0336";                            // struck through
            default -> new String(Character.toChars(ZEROS[1 + (form - 7) % (ZEROS.length - 1)] + d));
        };
    }

    /** The card written as a person might: in groups, with separators, in one script of digits. */
    public static Gen<String> written(String pan) {
        return random -> write(pan, random, true);
    }

    /** A card number written in one of the forms people use, as a whole. */
    public static Gen<String> writtenCards() {
        return random -> write(pans().next(random), random, true);
    }

    static String write(String pan, SplittableRandom random, boolean exotic) {
        int form = !exotic || random.nextInt(3) > 0 ? 0 : 1 + random.nextInt(12);
        List<Integer> groups = groups(pan.length(), random);
        String separator = separatorRun(random);
        boolean same = random.nextInt(3) > 0;
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int g = 0; g < groups.size(); g++) {
            if (g > 0) {
                out.append(same ? separator : separatorRun(random));
            }
            for (int k = 0; k < groups.get(g); k++) {
                out.append(digit(form, pan.charAt(at++) - '0'));
            }
        }
        return out.toString();
    }

    /** One to three separators between two groups, at most three characters: "-", " - ", "\u200B", ". "... */
    public static String separatorRun(SplittableRandom random) {
        while (true) {
            int n = random.nextInt(6) == 0 ? 2 + random.nextInt(2) : 1;
            StringBuilder run = new StringBuilder();
            for (int i = 0; i < n; i++) {
                run.append(SEPARATORS.get(random.nextInt(SEPARATORS.size())));
            }
            if (run.length() <= 3) {
                return run.toString();
            }
        }
    }

    private static List<Integer> groups(int length, SplittableRandom random) {
        List<Integer> groups = new ArrayList<>();
        switch (random.nextInt(5)) {
            case 0 -> groups.add(length);                                  // together
            case 1 -> {                                                    // fours, the rest last
                for (int left = length; left > 0; left -= 4) {
                    groups.add(Math.min(4, left));
                }
            }
            case 2 -> {                                                    // Amex-like 4-6-rest
                if (length < 11) {
                    groups.add(length);
                    break;
                }
                groups.add(4);
                groups.add(6);
                groups.add(length - 10);
            }
            case 3 -> {                                                    // every digit apart
                for (int i = 0; i < length; i++) {
                    groups.add(1);
                }
            }
            default -> {                                                   // any sizes
                for (int left = length; left > 0; ) {
                    int g = Math.min(left, 1 + random.nextInt(6));
                    groups.add(g);
                    left -= g;
                }
            }
        }
        return groups;
    }

    /**
     * A card inside a sentence: words and other text around it, never digits or separators right
     * against it, so the number is the card and nothing else.
     */
    public static Gen<String> inText(Gen<String> card) {
        Gen<String> word = Gen.element("My card is", "card:", "number", "pay with", "here it is", "¿tarjeta?", "カード",
                "карта", "😀", "👨‍👩‍👧", "🇳🇴", "ok", "(", "[", "#", "n°", "é", "x", "", "", "");
        return random -> word.next(random) + card.next(random) + Gen.element("", "", ".", ",", "!", ")", "?", " thanks", " 👍", "x")
                .next(random);
    }

    // --- numbers that are not cards -------------------------------------------------------------------

    /**
     * Text with numbers people write that are not cards: phone numbers of up to 12 digits as they
     * are written, order and reference numbers of up to 12 digits or of 20 and more, dates, times,
     * amounts, IP addresses, and 13-to-19-digit numbers that fail the Luhn check whose groups leave
     * no shorter span of 13 digits or more. Numbers are kept apart by words.
     */
    public static Gen<String> ordinaryText() {
        Gen<String> number = Gen.oneOf(
                Gen.element("+1 415-555-0100", "+44 20 7946 0958", "(415) 555-0100", "0412 345 678", "+47 22 12 34 56",
                        "+33 1 23 45 67 89", "+49 30 901820", "555.123.4567", "+1\u00A0415\u00A0555\u00A00100", "020 7946 0958"),
                random -> write(Gen.digits(1 + random.nextInt(12)).next(random), random, true),   // up to 12 digits, any form
                random -> "ORD-" + (2020 + random.nextInt(10)) + "-" + Gen.digits(6).next(random),
                random -> Gen.digits(20 + random.nextInt(10)).next(random),                        // too long to be a card, ungrouped
                random -> (1 + random.nextInt(28)) + "/" + (1 + random.nextInt(12)) + "/20" + (10 + random.nextInt(40)),
                random -> "20" + (10 + random.nextInt(40)) + "-" + (10 + random.nextInt(3)) + "-" + (10 + random.nextInt(18)),
                random -> random.nextInt(24) + ":" + (10 + random.nextInt(50)),
                random -> "$" + random.nextInt(100_000) + "." + (10 + random.nextInt(90)),
                random -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256),
                random -> luhnInvalidWritten(random));
        Gen<String> word = Gen.element(" call me on ", " order ", " ref ", " the ", " et ", " と ", " и ", " 😀 ", " ok ", " at ");
        return random -> {
            StringBuilder text = new StringBuilder("hi");
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                text.append(word.next(random)).append(number.next(random));
            }
            return text.append(" bye").toString();
        };
    }

    /** A Luhn-invalid 13-to-19-digit number, whole or in two or three groups whose every shorter span of whole groups has under 13 digits. */
    private static String luhnInvalidWritten(SplittableRandom random) {
        String digits = luhnInvalid().next(random);
        int length = digits.length();
        if (random.nextBoolean()) {
            return digits;
        }
        // The first and the last group each hold more than length - 13 digits, so leaving either out leaves at most 12.
        int edge = length - 12;
        int first = edge + random.nextInt(length - 2 * edge + 1);
        int last = edge + random.nextInt(length - first - edge + 1);
        String middle = digits.substring(first, length - last);
        String separator = separatorRun(random);
        return digits.substring(0, first) + separator + (middle.isEmpty() ? "" : middle + separator) + digits.substring(length - last);
    }

    // --- the oracle ----------------------------------------------------------------------------------

    /** The digit a person reads in {@code cp}, or -1. */
    public static int digitValue(int cp) {
        if (Character.isDigit(cp)) {
            return Character.digit(cp, 10);
        }
        if (Character.getType(cp) == Character.OTHER_NUMBER) {
            int value = Character.getNumericValue(cp);
            return value >= 0 && value <= 9 ? value : -1;
        }
        return -1;
    }

    /** Whether a person reads on through {@code cp} from one digit to the next. */
    public static boolean readThrough(int cp) {
        int type = Character.getType(cp);
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.DASH_PUNCTUATION
                || "./\\_\u00B7\u2027\u2219\u22C5\u30FB\uFF0E\uFF0F\uFF3C\u2212\uFE63\uFF0D".indexOf(cp) >= 0;
    }

    /** The digits a person reads in {@code text}: each number's digits, numbers apart by '|'. */
    public static String readDigits(String text) {
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int d = digitValue(cp);
            if (d >= 0) {
                read.append((char) ('0' + d));
            } else if (!readThrough(cp) && (read.length() == 0 || read.charAt(read.length() - 1) != '|')) {
                read.append('|');
            }
        }
        return read.toString();
    }

    /** Whether {@code text} shows the card {@code pan} whole, in any of the forms above. */
    public static boolean shows(String text, String pan) {
        return text != null && readDigits(text).contains(pan);
    }

    /** Every piece of text in {@code text} and, when it is JSON, in its keys and values decoded. */
    public static List<String> texts(String text) {
        List<String> texts = new ArrayList<>();
        if (text == null) {
            return texts;
        }
        texts.add(text);
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith("\"")) {
            try {
                collect(Json.parse(trimmed), texts);
            } catch (Exception e) {
                // not JSON: the text itself was enough
            }
        }
        return texts;
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            texts.addAll(Cards.texts(node.asText()));
        } else if (node.isNumber()) {
            texts.add(node.asText());
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                texts.add(field.getKey());
                collect(field.getValue(), texts);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, texts));
        }
    }

    /** Whether any text, JSON decoded where it is JSON, shows the card. */
    public static boolean anyShows(Iterable<String> texts, String pan) {
        for (String text : texts) {
            for (String piece : texts(text)) {
                if (shows(piece, pan)) {
                    return true;
                }
            }
        }
        return false;
    }
}
