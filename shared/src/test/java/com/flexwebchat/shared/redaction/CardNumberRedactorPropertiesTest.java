package com.flexwebchat.shared.redaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.property.Cards;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The redactor's contract as properties, both ways: a card number written in any way a person
 * reads it (grouped or not, any separators a person reads through, any script of digits, inside
 * any text, in JSON keys and values) never comes out whole, and its last four digits stay; numbers
 * that are not cards (phone and order numbers, dates, amounts, Luhn failures) come out unchanged.
 */
@ExtendWith(Seeds.class)
class CardNumberRedactorPropertiesTest {

    final CardNumberRedactor redactor = new CardNumberRedactor();

    record Written(String pan, String text) {
    }

    static Gen<Written> cardsInText() {
        return Cards.pans().flatMap(pan -> Cards.inText(Cards.written(pan)).map(text -> new Written(pan, text)));
    }

    static List<Written> smaller(Written w) {
        return Property.smallerTexts(w.text()).stream().map(t -> new Written(w.pan(), t)).filter(c -> Cards.shows(c.text(), c.pan())).toList();
    }

    @Test
    void aCardWrittenAnyWayAPersonReadsItIsMaskedToItsLastFourDigits(Property property) {
        property.forAll("card numbers as people write them are masked", 3_000, cardsInText(), CardNumberRedactorPropertiesTest::smaller, w -> {
            assertTrue(Cards.shows(w.text(), w.pan()), "the generator wrote the card");
            CardNumberRedactor.Redaction redaction = redactor.redact(w.text());
            assertFalse(Cards.shows(redaction.text(), w.pan()), () -> "the card is still readable in " + Property.show(redaction.text()));
            assertTrue(redaction.cardNumbers() >= 1);
            String read = Cards.readDigits(redaction.text());
            assertTrue(read.contains(w.pan().substring(w.pan().length() - 4)), () -> "the last four digits are kept: " + Property.show(redaction.text()));
        });
    }

    @Test
    void numbersThatAreNotCardsAreLeftAsTheyAre(Property property) {
        property.forAll("phone and order numbers, dates, amounts, Luhn failures are not masked", 3_000, Cards.ordinaryText(),
                t -> Property.smallerTexts(t), text -> {
                    CardNumberRedactor.Redaction redaction = redactor.redact(text);
                    assertEquals(text, redaction.text());
                    assertFalse(redaction.changed());
                });
    }

    @Test
    void maskingChangesOnlyDigitsAndIsIdempotent(Property property) {
        Gen<String> mixed = Gen.lists(Gen.oneOf(Cards.writtenCards(), Cards.ordinaryText(),
                Gen.strings(Gen.codePoints(new int[] {0x20, 0x7E}, new int[] {0x2000, 0x206F}, new int[] {0x1F300, 0x1F64F}), 0, 8)), 1, 5)
                .map(parts -> String.join(" ", parts));
        property.forAll("masking replaces digits only, and a second pass changes nothing", 2_000, mixed, t -> Property.smallerTexts(t), text -> {
            String once = redactor.redact(text).text();
            assertEquals(once, redactor.redact(once).text(), "idempotent");
            assertEquals(withoutDigits(text), withoutDigits(once).replace(String.valueOf(CardNumberRedactor.MASK), ""),
                    "only digits are replaced");
        });
    }

    @Test
    void cardsInJsonKeysAndValuesAreMasked(Property property) {
        Gen<List<Written>> cards = Gen.lists(cardsInText(), 1, 4);
        property.forAll("JSON keys and values", 1_000, cards, list -> {
            ObjectNode json = Json.object();
            ObjectNode nested = json.putObject("nested");
            for (int i = 0; i < list.size(); i++) {
                Written w = list.get(i);
                switch (i % 4) {
                    case 0 -> json.put(w.text(), "value " + i);
                    case 1 -> json.put("field" + i, w.text());
                    case 2 -> nested.put(w.text(), w.text());
                    default -> json.putArray("list" + i).add(w.text()).add(i);
                }
            }
            String redacted = redactor.redactJson(Json.write(json));
            assertNotNull(redacted, "something was masked");
            for (Written w : list) {
                assertFalse(Cards.anyShows(List.of(redacted), w.pan()), () -> "a card is still readable in " + Property.show(redacted));
            }
        });
    }

    /** The text without its digits (and without the mask), code point by code point. */
    static String withoutDigits(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().filter(cp -> Cards.digitValue(cp) < 0 && cp != CardNumberRedactor.MASK).forEach(out::appendCodePoint);
        return out.toString();
    }
}
