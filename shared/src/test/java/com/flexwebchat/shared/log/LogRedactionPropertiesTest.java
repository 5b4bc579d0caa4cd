package com.flexwebchat.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.OriginPolicy;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.property.Cards;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No log line shows a card number, whatever a caller passes: the rule that callers log only
 * identifiers holds at the call sites, but some identifiers come from the request (an
 * {@code Origin}, a {@code Host}), so the log masks what it writes as well.
 */
@ExtendWith(Seeds.class)
class LogRedactionPropertiesTest {

    record Logged(String pan, String text) {
    }

    static Gen<Logged> cards() {
        return Cards.pans().flatMap(pan -> Cards.inText(Cards.written(pan)).map(text -> new Logged(pan, text)));
    }

    @Test
    void noLineShowsACardInItsMessageFieldsOrContext(Property property) {
        property.forAll("cards in log fields", 500, cards(), logged -> {
            try (LogCapture logs = new LogCapture()) {
                Log.begin("req-1");
                Log.put("conversationSid", logged.text());
                Log.warn("Something about " + logged.text(), "origin", logged.text(), "count", 3,
                        "pan", Long.parseLong(logged.pan().substring(0, Math.min(18, logged.pan().length()))));
                Log.end();
                assertEquals(1, logs.lines().size());
                String line = logs.lines().get(0).toString();
                assertFalse(Cards.anyShows(List.of(line), logged.pan()), () -> "logged " + Property.show(line));
                assertTrue(line.contains("\"count\":3"), line);
            }
        });
    }

    @Test
    void aTwilioSidIsLoggedWhole() {
        // 4111111111111111 passes Luhn; inside a SID it is a SID's digits.
        String sid = "CH4111111111111111abcdefabcdefabcd";
        try (LogCapture logs = new LogCapture()) {
            Log.begin("r");
            Log.put("conversationSid", sid);
            Log.info("x", "taskSid", sid);
            Log.end();
            assertEquals(sid, logs.lines().get(0).get("conversationSid").asText());
            assertEquals(sid, logs.lines().get(0).get("taskSid").asText());
        }
    }

    @Test
    void aRefusedOriginIsLoggedWithoutTheCardInIt(Property property) {
        OriginPolicy origins = new OriginPolicy(Set.of("http://localhost:3000"));
        property.forAll("origin header", 300, cards(), logged -> {
            String origin = "https://" + logged.text() + ".example";
            try (LogCapture logs = new LogCapture()) {
                assertThrows(ApiError.class, () -> origins.check(origin));
                assertFalse(Cards.anyShows(List.of(logs.text()), logged.pan()), () -> "logged " + Property.show(logs.text()));
            }
        });
    }
}
