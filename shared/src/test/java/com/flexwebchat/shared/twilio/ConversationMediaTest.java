package com.flexwebchat.shared.twilio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.Fault;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A conversation's media read back through Twilio's Media Content Service: the file a participant sent, looked up
 * at MCS with the account's credentials and downloaded from its pre-signed link without them, byte for byte;
 * bounded in size, time and failures like any Twilio call. Real HTTP, against the emulator.
 */
class ConversationMediaTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String SERVICE = ACCOUNT.conversationsServiceSid();
    static final String LOOKUP = "/mcs\\.us1/v1/Services/" + SERVICE + "/Media/ME[0-9a-f]{32}";
    static final String CONTENT = "/media\\.us1/ME[0-9a-f]{32}";
    static final long MB = 1 << 20;
    /** Short, so a call without answer gives up quickly. */
    static final Duration BUDGET = Duration.ofMillis(700);

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass();

    static ConversationMedia media() {
        return twilio.runtime().media();
    }

    /** A file a visitor sent into a new chat: its Media SID. The journal is cleared after. */
    static String sent(String filename, String contentType, byte[] content) {
        WebChannels chat = twilio.startChat();
        Map<String, Object> message = twilio.emulator().postMedia(chat.getConversationSid(), chat.getIdentity(), filename,
                contentType, content);
        twilio.emulator().clearRequests();
        return (String) ((Map<?, ?>) ((List<?>) message.get("media")).get(0)).get("sid");
    }

    static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void fetchReadsTheFileBackByteForByteAsTwilioTime() {
        byte[] content = bytes(300_000);
        String sid = sent("scan 1.jpg", "image/jpeg", content);
        UpstreamTime time = new UpstreamTime();

        MediaContent file = time.run(() -> media().fetch(SERVICE, sid, MB)).orElseThrow();

        assertFalse(file.tooLarge());
        assertArrayEquals(content, file.bytes());
        assertEquals(sid, file.sid());
        assertEquals("image/jpeg", file.contentType());
        assertEquals("scan 1.jpg", file.filename());
        assertEquals(300_000, file.size());
        assertFalse(file.toString().contains("scan"), "names stay out of logs: " + file);
        assertTrue(time.of(TwilioTransport.UPSTREAM).toNanos() > 0, "counted as Twilio's time");

        RecordedRequest lookup = twilio.emulator().requests("GET", LOOKUP).get(0);
        assertTrue(lookup.header("Authorization").startsWith("Basic "), "MCS with the account's credentials");
        RecordedRequest download = twilio.emulator().requests("GET", CONTENT).get(0);
        assertNull(download.header("Authorization"), "the pre-signed link without them");
        assertEquals(List.of("Expires", "Signature", "Key-Pair-Id"), List.copyOf(download.queryParams().keySet()));
        assertEquals(2, twilio.emulator().requests().size());
    }

    @Test
    void aFileOfExactlyTheLimitIsRead() {
        String sid = sent("a.bin", "application/octet-stream", bytes(1_000));
        assertArrayEquals(bytes(1_000), media().fetch(SERVICE, sid, 1_000).orElseThrow().bytes());
    }

    @Test
    void aFileMcsDoesNotHaveIsNothing() {
        assertEquals(Optional.empty(), media().fetch(SERVICE, "ME" + "0".repeat(32), MB));
        assertEquals(1, twilio.emulator().requests().size());
    }

    /** Twilio declares the size: a file over the limit is not downloaded at all. */
    @Test
    void aFileLargerThanTheLimitIsReportedAndNotDownloaded() {
        String sid = sent("video.mp4", "video/mp4", bytes(5 * (int) MB));

        MediaContent file = media().fetch(SERVICE, sid, MB).orElseThrow();

        assertTrue(file.tooLarge());
        assertNull(file.bytes());
        assertEquals(5 * MB, file.size(), "the size Twilio declares");
        assertEquals("video.mp4", file.filename());
        assertEquals(List.of(), twilio.emulator().requests("GET", CONTENT), "not a byte of it read");
    }

    @Test
    void sidsThatAreNotSidsAreRefusedUnasked() {
        for (String[] sids : new String[][] {{SERVICE, "../../Services"}, {SERVICE, null}, {"IS1", "ME" + "0".repeat(32)},
                {SERVICE, "ME" + "0".repeat(32) + "/Content"}}) {
            assertThrows(IllegalArgumentException.class, () -> media().fetch(sids[0], sids[1], MB), String.join(",", List.of(
                    String.valueOf(sids[0]), String.valueOf(sids[1]))));
        }
        assertThrows(IllegalArgumentException.class, () -> media().fetch(SERVICE, "ME" + "0".repeat(32), -1));
        assertEquals(List.of(), twilio.emulator().requests());
    }

    /** Where a fault strikes: the lookup at MCS, or the download from the media host. */
    enum Step {
        LOOKUP(ConversationMediaTest.LOOKUP), DOWNLOAD(CONTENT);

        final String path;

        Step(String path) {
            this.path = path;
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                // A GET's 5xx is retried once by the transport at MCS; the download is never retried.
                Arguments.of(Step.LOOKUP, "500", Fault.error(500, 20500), 2, true),
                Arguments.of(Step.LOOKUP, "429 every time", Fault.error(429, 20429), 3, true),
                Arguments.of(Step.LOOKUP, "401", Fault.error(401, 20003), 1, true),
                Arguments.of(Step.LOOKUP, "garbled", Fault.garbled(), 1, true),
                Arguments.of(Step.LOOKUP, "no answer", Fault.noAnswer(), 1, false),
                Arguments.of(Step.LOOKUP, "dropped", Fault.dropped(), 2, false),
                Arguments.of(Step.LOOKUP, "slow", Fault.slow(BUDGET.plusSeconds(1)), 2, false),
                Arguments.of(Step.DOWNLOAD, "500", Fault.error(500, 20500), 1, true),
                Arguments.of(Step.DOWNLOAD, "403, the link refused", Fault.error(403, 20403), 1, true),
                Arguments.of(Step.DOWNLOAD, "garbled (half the file)", Fault.garbled(), 1, true),
                Arguments.of(Step.DOWNLOAD, "no answer", Fault.noAnswer(), 1, false),
                Arguments.of(Step.DOWNLOAD, "dropped", Fault.dropped(), 2, false),
                Arguments.of(Step.DOWNLOAD, "slow", Fault.slow(BUDGET.plusSeconds(1)), 1, false));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("failures")
    void everyFailureIsATwilioFailureWithinTheDeadline(Step step, String name, Fault fault, int times, boolean answered) {
        String sid = sent("f.bin", "application/octet-stream", bytes(50_000));
        twilio.emulator().inject("GET", step.path, 0, times, fault);

        long started = System.nanoTime();
        try {
            Optional<MediaContent> file = Deadline.after(BUDGET).run(() -> media().fetch(SERVICE, sid, MB));
            fail(step + ", " + name + ": no failure, but " + file);
        } catch (TwilioFailure failure) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < BUDGET.toMillis() + 500, "took " + millis + " ms");
            assertEquals(answered, failure.answered(), name + ": " + failure.kind());
            if (fault instanceof Fault.ErrorAnswer error) {
                assertEquals(error.status(), failure.twilioStatus());
            }
            assertFalse(failure.getMessage().contains("{"), failure.getMessage());
        } catch (RuntimeException e) {
            fail(step + ", " + name + ": " + e.getClass().getName() + " escaped: " + e.getMessage());
        } finally {
            twilio.emulator().reset();
        }
        if (step == Step.LOOKUP) {
            assertEquals(List.of(), twilio.emulator().requests("GET", CONTENT), "no download without a lookup");
        }
    }

    /** Before a SnapStart snapshot every Twilio request is answered by a stand-in: no file is fetched from anywhere. */
    @Test
    void aStandInAnswersTheLookupAndNoDownloadLeaves() {
        String sid = "ME" + "1".repeat(32);
        String described = "{\"sid\":\"" + sid + "\",\"size\":3,\"content_type\":\"text/plain\",\"filename\":null,"
                + "\"links\":{\"content_direct_temporary\":\"https://media.us1.twilio.com/" + sid + "?Expires=1\"}}";
        TwilioFailure[] failure = {null};
        twilio.runtime().twilio().answeringFrom(request -> new com.twilio.http.Response(described, 200), () -> {
            try {
                media().fetch(SERVICE, sid, MB);
            } catch (TwilioFailure e) {
                failure[0] = e;
            }
        });
        assertTrue(failure[0] != null && !failure[0].answered(), String.valueOf(failure[0]));
        assertEquals(List.of(), twilio.emulator().requests());
    }
}
