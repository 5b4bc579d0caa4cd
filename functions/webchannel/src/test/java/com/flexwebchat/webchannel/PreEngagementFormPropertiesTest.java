package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.property.Cards;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pre-engagement form's rules as properties: limits count characters as people count them
 * (Unicode code points: an emoji is one, whichever plane it is on), and no card number leaves the
 * form, whether typed as a field's value or as its name.
 */
@ExtendWith(Seeds.class)
class PreEngagementFormPropertiesTest {

    /** One code point of every width: ASCII, accented Latin, CJK, emoji (two UTF-16 units), a math letter (two). */
    static final Gen<Integer> ANY_CHARACTER = Gen.codePoints(new int[] {0x61, 0x7A}, new int[] {0xE0, 0xFF},
            new int[] {0x4E00, 0x9FFF}, new int[] {0x1F600, 0x1F64F}, new int[] {0x1D400, 0x1D433});

    record Sized(int length, String text) {
    }

    static Gen<Sized> textsAround(int limit) {
        return Gen.between(Math.max(1, limit - 40), limit + 40).flatMap(n -> Gen.strings(ANY_CHARACTER, n, n).map(t -> new Sized(n, t)));
    }

    static PreEngagementForm form(ObjectNode formData) {
        ObjectNode body = Json.object();
        body.set("formData", formData);
        return PreEngagementForm.from(body);
    }

    @Test
    void aValueMayHaveAThousandCharactersCountedAsCodePoints(Property property) {
        property.forAll("value length in code points", 300, textsAround(PreEngagementForm.MAX_VALUE_LENGTH), value -> {
            ObjectNode formData = Json.object().put("query", value.text());
            if (value.length() <= PreEngagementForm.MAX_VALUE_LENGTH) {
                assertEquals(value.text(), form(formData).query());
            } else {
                ApiError refused = assertThrows(ApiError.class, () -> form(formData));
                assertEquals("formData.query", refused.field());
            }
        });
    }

    @Test
    void aKeyMayHaveSixtyFourCharactersCountedAsCodePoints(Property property) {
        property.forAll("key length in code points", 300, textsAround(PreEngagementForm.MAX_KEY_LENGTH), key -> {
            ObjectNode formData = Json.object().put(key.text(), "x");
            if (key.length() <= PreEngagementForm.MAX_KEY_LENGTH) {
                assertEquals("x", form(formData).fields().get(key.text()).asText());
            } else {
                ApiError refused = assertThrows(ApiError.class, () -> form(formData));
                assertEquals("formData", refused.field());
            }
        });
    }

    /** Every kind of space, line break and invisible character, none of which an address can hold. */
    static final Gen<Integer> SPACE_OR_INVISIBLE = Gen.element(0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2000,
            0x2007, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E,
            0x202E, 0x0000, 0x001F, 0x007F);

    @Test
    void anEmailWithASpaceOfAnyKindOrAnInvisibleCharacterIsRefused(Property property) {
        Gen<String> emails = random -> {
            StringBuilder email = new StringBuilder("ada.lovelace@example.com");
            email.insert(random.nextInt(email.length() + 1), Character.toChars(SPACE_OR_INVISIBLE.next(random)));
            return email.toString();
        };
        property.forAll("emails with spaces", 300, emails, email -> {
            ApiError refused = assertThrows(ApiError.class, () -> form(Json.object().put("email", email)), Property.show(email));
            assertEquals("formData.email", refused.field());
        });
    }

    record Filled(List<String> pans, ObjectNode formData) {
    }

    /** A form whose names and values carry card numbers written as people write them, beside ordinary fields. */
    static Gen<Filled> formsWithCards() {
        return random -> {
            List<String> pans = new ArrayList<>();
            ObjectNode formData = Json.object();
            int fields = 1 + random.nextInt(6);
            for (int i = 0; i < fields; i++) {
                String pan = Cards.pans().next(random);
                String written = Cards.inText(Cards.written(pan)).next(random);
                pans.add(pan);
                switch (random.nextInt(6)) {
                    case 5 -> formData.putArray(written.length() <= 64 ? written : "k" + i).add(1);   // refused, naming the field
                    case 0 -> formData.put(written, "yes");                              // the card as a field's name
                    case 1 -> formData.put("friendlyName", written);
                    case 2 -> formData.put("query", written);
                    case 3 -> formData.put(written.length() <= 64 ? written : "k" + i, written);
                    default -> formData.put("field" + i, written);
                }
            }
            formData.put("email", "ada@example.com");
            return new Filled(pans, formData);
        };
    }

    @Test
    void noCardNumberLeavesTheFormAsAValueOrAsAName(Property property) {
        property.forAll("cards in names and values", 1_000, formsWithCards(), filled -> {
            PreEngagementForm form;
            try {
                form = form(filled.formData());
            } catch (ApiError refused) {
                // A refusal names the field: not with the card in it either.
                for (String pan : filled.pans()) {
                    assertFalse(Cards.shows(refused.field(), pan), refused.field());
                    assertFalse(Cards.shows(refused.getMessage(), pan), refused.getMessage());
                }
                return;
            }
            for (String pan : filled.pans()) {
                assertFalse(Cards.anyShows(List.of(form.preEngagementData()), pan), () -> "PreEngagementData " + Property.show(form.preEngagementData()));
                assertFalse(Cards.shows(form.friendlyName(), pan), form.friendlyName());
                assertFalse(form.query() != null && Cards.shows(form.query(), pan), form.query());
            }
        });
    }
}
