package com.flexwebchat.shared.redaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Card numbers (13 to 19 digits, Luhn-valid, grouped or not) masked to their last four digits; nothing else. */
class CardNumberRedactorTest {

    final CardNumberRedactor redactor = new CardNumberRedactor();

    String masked(String text) {
        return redactor.redact(text).text();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Visa, 16 and 13 digits
            "4111111111111111    | ••••••••••••1111",
            "4012888888881881    | ••••••••••••1881",
            "4222222222222       | •••••••••2222",
            // Mastercard, 5- and 2-series
            "5555555555554444    | ••••••••••••4444",
            "5105105105105100    | ••••••••••••5100",
            "2223003122003222    | ••••••••••••3222",
            // American Express, 15 digits
            "378282246310005     | •••••••••••0005",
            "371449635398431     | •••••••••••8431",
            // Discover, Diners (14 digits), JCB
            "6011111111111117    | ••••••••••••1117",
            "30569309025904      | ••••••••••5904",
            "3530111333300000    | ••••••••••••0000",
            // 19 digits
            "6212345678901234569 | •••••••••••••••4569",
    })
    void masksEveryCardLengthToItsLastFourDigits(String card, String expected) {
        CardNumberRedactor.Redaction redaction = redactor.redact(card);
        assertEquals(expected, redaction.text());
        assertEquals(1, redaction.cardNumbers());
    }

    /** A SID Twilio minted whose digits 78373276213137 pass Luhn: as a value it names a resource and stays whole. */
    @Test
    void aTwilioSidIsNotACardEvenWhenItsDigitsPassLuhn() throws Exception {
        String sid = "CH17f9a35269addf8f78373276213137cd";
        assertEquals(sid, redactor.redact(sid).text());
        assertNull(redactor.redactJson("{\"conversationSid\":\"" + sid + "\"}"), "nothing to mask in attributes naming it");
        assertEquals("in CH17f9a35269addf8f••••••••••3137cd", redactor.redact("in " + sid).text(),
                "inside a visitor's text it is only digits");
    }

    @Test
    void keepsTheGroupingOfASpacedNumber() {
        assertEquals("•••• •••• •••• 1111", masked("4111 1111 1111 1111"));
    }

    @Test
    void keepsTheGroupingOfADashedNumber() {
        assertEquals("••••-••••-••••-4444", masked("5555-5555-5555-4444"));
    }

    @Test
    void keepsAmexGrouping() {
        assertEquals("•••• •••••• •0005", masked("3782 822463 10005"));
    }

    @Test
    void masksANumberGroupedWithNoBreakSpaces() {
        assertEquals("••••\u00A0••••\u00A0••••\u00A01111", masked("4111\u00A01111\u00A01111\u00A01111"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // what people put between groups, visible or not, one to a few characters
            "4111\u200B1111\u200B1111\u200B1111       | ••••\u200B••••\u200B••••\u200B1111",
            "4111\u200C1111\u200D1111\u20601111       | ••••\u200C••••\u200D••••\u20601111",
            "4111.1111.1111.1111                         | ••••.••••.••••.1111",
            "4111/1111/1111/1111                         | ••••/••••/••••/1111",
            "4111\t1111\t1111\t1111                   | ••••\t••••\t••••\t1111",
            "4111  1111  1111  1111                      | ••••  ••••  ••••  1111",
            "4111 - 1111 - 1111 - 1111                   | •••• - •••• - •••• - 1111",
            "4111\u00AD1111\uFEFF1111\u20131111       | ••••\u00AD••••\uFEFF••••\u20131111",
    })
    void masksANumberWhateverAPersonPutsBetweenItsGroups(String text, String expected) {
        assertEquals(unescape(expected), masked(unescape(text)));
    }

    @Test
    void masksDigitsOfEveryScript() {
        String bold4 = new String(Character.toChars(0x1D7D2));
        String bold1 = new String(Character.toChars(0x1D7CF));
        assertEquals("•".repeat(12) + bold1.repeat(4), masked(bold4 + bold1.repeat(15)));
        assertEquals("•".repeat(12) + "①".repeat(4), masked("④" + "①".repeat(15)));
        assertEquals("•\uFE0F\u20E3".repeat(12).translateEscapes() + "1\uFE0F\u20E3".repeat(4).translateEscapes(),
                masked("4\uFE0F\u20E3".translateEscapes() + "1\uFE0F\u20E3".repeat(15).translateEscapes()));
    }

    @Test
    void masksACardNumberUsedAsAJsonKey() throws Exception {
        String redacted = redactor.redactJson("{\"4111 1111 1111 1111\":\"my card\",\"n\":{\"5555555555554444\":1}}");
        JsonNode json = Json.parse(redacted);
        assertEquals("my card", json.get("•••• •••• •••• 1111").asText());
        assertEquals(1, json.get("n").get("••••••••••••4444").asInt());
    }

    @Test
    void twoKeysThatMaskAlikeBothStay() throws Exception {
        JsonNode json = Json.parse(redactor.redactJson("{\"4111111111111111\":\"a\",\"4000000000061111\":\"b\"}"));
        assertEquals("a", json.get("••••••••••••1111").asText());
        assertEquals("b", json.get("••••••••••••1111 (2)").asText());
    }

    @Test
    void theDigitsACardKeepsNeverStartAnotherCard() {
        // One pass masks 9050671326409 and keeps 6409; "6409 1745 0 2 606" passes Luhn as well.
        String once = masked("9050671326409 1745 0 2 606");
        assertEquals(once, masked(once));
    }

    static String unescape(String text) {
        return text.strip().translateEscapes();
    }

    @Test
    void masksANumberInsideASentence() {
        assertEquals("Hi, my card is •••• •••• •••• 1111, expiry 12/29.",
                masked("Hi, my card is 4111 1111 1111 1111, expiry 12/29."));
    }

    @Test
    void masksANumberTouchingLetters() {
        assertEquals("card:••••••••••••1111!", masked("card:4111111111111111!"));
    }

    @Test
    void masksTwoCardsInOneMessage() {
        CardNumberRedactor.Redaction redaction = redactor.redact(
                "Try 4111 1111 1111 1111 or else 5555-5555-5555-4444 please");
        assertEquals("Try •••• •••• •••• 1111 or else ••••-••••-••••-4444 please", redaction.text());
        assertEquals(2, redaction.cardNumbers());
    }

    @Test
    void masksTwoCardsWrittenOneAfterTheOther() {
        CardNumberRedactor.Redaction redaction = redactor.redact("4111 1111 1111 1111 5555 5555 5555 4444");
        assertEquals("•••• •••• •••• 1111 •••• •••• •••• 4444", redaction.text());
        assertEquals(2, redaction.cardNumbers());
    }

    @Test
    void masksACardFollowedByItsSecurityCode() {
        assertEquals("•••• •••• •••• 1111 123", masked("4111 1111 1111 1111 123"));
    }

    @Test
    void masksFullWidthDigits() {
        assertEquals("••••••••••••１１１１", masked("４１１１１１１１１１１１１１１１"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "4111111111111112",               // one digit off: Luhn fails
            "4111 1111 1111 1112",
            "1234-5678-9012-3456",
            "Order 9876543210987654 is late",
            "Call me on +1 415-555-0100",
            "My number is +44 7911 123456",    // 12 digits (and Luhn-valid): too short for a card
            "411111111117",                    // 12 digits, Luhn-valid
            "41111111111111111115",            // 20 digits, Luhn-valid: too long for a card
            "Tracking 1234 5678 9012 3456 7891", // 20 digits in groups, no valid card inside
            "4111 1111 1111",                  // 12 digits in groups
            "4111 1111 1111 one 1111",         // a word ends a number: 12 digits, then 4
            "4111, 1111, 1111, 1111",          // so does a comma: four numbers of four digits
            "Ticket 2026-11-21 at 10:00, room 1234",
            "",
    })
    void leavesEverythingElseAlone(String text) {
        CardNumberRedactor.Redaction redaction = redactor.redact(text);
        assertEquals(text, redaction.text());
        assertFalse(redaction.changed());
    }

    @Test
    void theLongestMessageIsScannedQuickly() {
        String digits = "1 2 3 4 5 6 7 8 9 0 ".repeat(1_600) + "4".repeat(8_000);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> redactor.redact(digits));
    }

    @Test
    void nullIsNothingToMask() {
        assertNull(redactor.redact(null).text());
    }

    @Test
    void maskingIsIdempotent() {
        String once = masked("4111 1111 1111 1111");
        assertEquals(once, masked(once));
    }

    @Test
    void masksCardNumbersInJsonStringsAndNumbers() throws Exception {
        String redacted = redactor.redactJson(
                "{\"note\":\"card 4111 1111 1111 1111\",\"pan\":4111111111111111,\"list\":[\"5555555555554444\",7],\"n\":42}");
        JsonNode json = Json.parse(redacted);
        assertEquals("card •••• •••• •••• 1111", json.get("note").asText());
        assertEquals("••••••••••••1111", json.get("pan").asText());
        assertEquals("••••••••••••4444", json.get("list").get(0).asText());
        assertEquals(7, json.get("list").get(1).asInt());
        assertEquals(42, json.get("n").asInt());
    }

    @Test
    void findsDigitsWrittenAsJsonEscapes() throws Exception {
        String redacted = redactor.redactJson("{\"note\":\"\\u0034111111111111111\"}");
        assertEquals("••••••••••••1111", Json.parse(redacted).get("note").asText());
    }

    @Test
    void jsonWithoutCardNumbersIsLeftAsItIs() {
        assertNull(redactor.redactJson("{\"order\":\"1234567890123456\",\"n\":42}"));
        assertNull(redactor.redactJson("{}"));
        assertNull(redactor.redactJson(null));
    }

    @Test
    void textThatIsNotJsonIsMaskedAsText() {
        assertEquals("not json ••••••••••••1111", redactor.redactJson("not json 4111111111111111"));
        assertNull(redactor.redactJson("not json either"));
    }
}
