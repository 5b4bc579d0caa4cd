package com.flexwebchat.shared.testing.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runner itself: it runs every try, fails with the seed and the input, replays a seed, shrinks, stops at its budget. */
@ExtendWith(Seeds.class)
class PropertyTest {

    @Test
    void runsEveryTryAndPassesWhenTheCheckHolds() {
        List<Integer> seen = new ArrayList<>();
        new Property(42, "T#m").forAll("all", 250, Gen.between(0, 9), seen::add);
        assertEquals(Integer.getInteger(Property.TRIES_PROPERTY, 250), seen.size());
        assertTrue(seen.stream().allMatch(i -> i >= 0 && i <= 9));
    }

    @Test
    void aFailureNamesTheSeedTheReplayAndTheInput() {
        AssertionError failure = assertThrows(AssertionError.class, () ->
                new Property(7, "T#m").forAll("under 90", 1_000, Gen.between(0, 99), i -> assertTrue(i < 90)));
        assertTrue(failure.getMessage().contains("(seed 7)"), failure.getMessage());
        assertTrue(failure.getMessage().contains("-Dflexwebchat.seed=7 -Dtest=T#m"), failure.getMessage());
        assertTrue(failure.getMessage().matches("(?s).*first failing input: 9\\d.*"), failure.getMessage());
    }

    @Test
    void aSeedReplaysTheSameInputs() {
        Gen<String> text = Gen.strings(Gen.codePoints(new int[] {0x20, 0x10FFF}), 0, 20);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        new Property(123, "T#m").forAll("a", 50, text, first::add);
        new Property(123, "T#m").forAll("b", 50, text, second::add);
        assertEquals(first, second);
        List<String> other = new ArrayList<>();
        new Property(124, "T#m").forAll("c", 50, text, other::add);
        assertTrue(!first.equals(other));
    }

    @Test
    void aFailingTextIsShrunkAndShownWithItsInvisibleCharacters() {
        Gen<String> text = Gen.strings(Gen.element(0x61, 0x62, 0x200B), 30, 40);
        AssertionError failure = assertThrows(AssertionError.class, () ->
                new Property(1, "T#m").forAll("no zero-width space", 100, text, Property::smallerTexts,
                        s -> assertTrue(s.indexOf('\u200B') < 0)));
        assertTrue(failure.getMessage().contains("shrunk to:           \"\\u200B\""), failure.getMessage());
    }

    @Test
    void stopsAtItsBudget() {
        int ran = new Property(1, "T#m").forAll("slow", 1_000_000, Duration.ofMillis(200), Gen.constant(0), null, i -> Thread.sleep(1));
        assertTrue(ran < 1_000_000 && ran > 0, "ran " + ran);
    }

    @Test
    void aPropertyParameterComesSeeded(Property property) {
        assertEquals(property.seed(), property.seed());
    }
}
