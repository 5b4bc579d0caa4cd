package com.flexwebchat.emulator.mcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.flexwebchat.emulator.testing.WebhookReceiver;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.configuration.Webhook;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.conversations.v1.service.conversation.Participant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertError;
import static com.flexwebchat.emulator.testing.Clients.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Media Content Service and Conversations' media messages, as Twilio documents them
 * (https://www.twilio.com/docs/conversations/api/media-resource,
 * https://www.twilio.com/docs/conversations/media-support-conversations): a file uploaded to MCS, attached to a
 * message by {@code MediaSid}, listed in the message's {@code media}, and read back through MCS's pre-signed,
 * time-limited link. Real HTTP, and twilio-java for the Conversations side; every exchange must pass the contract
 * check (MCS by its docs).
 */
class MediaContentServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TwilioEmulator emulator;
    private static TwilioRestClient client;
    private static EmulatorAccount account;
    private static String service;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    /** A fresh emulator each time: a test moves its clock. */
    @BeforeEach
    void startEmulator() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        account = emulator.account();
        service = account.conversationsServiceSid();
    }

    @AfterEach
    void everyExchangeConforms() {
        try {
            assertEquals(List.of(), emulator.contractViolations());
        } finally {
            emulator.close();
        }
    }

    @Test
    void uploadAnswersTheMediaResource() throws Exception {
        byte[] png = bytes(2_000);
        HttpResponse<byte[]> upload = Clients.upload(emulator, "/mcs.us1/v1/Services/" + service + "/Media?Filename=car%20photo.png",
                "image/png", png, Clients.accountCredentials(emulator));

        assertEquals(201, upload.statusCode(), text(upload));
        JsonNode media = Json.parse(text(upload));
        String sid = media.path("sid").asText();
        assertTrue(Sids.isSid("ME", sid), sid);
        assertEquals(service, media.path("service_sid").asText());
        assertEquals(account.accountSid(), media.path("account_sid").asText());
        assertEquals("image/png", media.path("content_type").asText());
        assertEquals("car photo.png", media.path("filename").asText());
        assertEquals(2_000, media.path("size").asLong());
        assertEquals("system", media.path("author").asText());
        assertEquals("media", media.path("category").asText());
        assertTrue(media.path("message_sid").isNull());
        assertTrue(media.path("channel_sid").isNull());
        assertEquals("/v1/Services/" + service + "/Media/" + sid, media.path("url").asText());
        assertEquals("/v1/Services/" + service + "/Media/" + sid + "/Content", media.path("links").path("content").asText());
        assertTrue(media.path("links").path("content_direct_temporary").isMissingNode(),
                "an upload's answer links the content only; a fetch adds the temporary link");
    }

    @Test
    void uploadTakesTheApiKeyTooAndRefusesOthers() {
        String path = "/mcs.us1/v1/Services/" + service + "/Media";
        assertEquals(201, Clients.upload(emulator, path, "text/plain", "hi".getBytes(StandardCharsets.UTF_8),
                account.apiKey() + ":" + account.apiSecret()).statusCode());
        assertEquals(401, Clients.upload(emulator, path, "text/plain", "hi".getBytes(StandardCharsets.UTF_8), null).statusCode());
        assertEquals(401, Clients.upload(emulator, path, "text/plain", "hi".getBytes(StandardCharsets.UTF_8),
                account.accountSid() + ":wrong").statusCode());
        assertEquals(404, Clients.upload(emulator, "/mcs.us1/v1/Services/" + Sids.random("IS") + "/Media", "text/plain",
                "hi".getBytes(StandardCharsets.UTF_8), Clients.accountCredentials(emulator)).statusCode());
        assertEquals(400, Clients.upload(emulator, path, "text/plain", new byte[0], Clients.accountCredentials(emulator))
                .statusCode(), "no file");
    }

    @Test
    void aMessageAttachesUploadedMediaAndListsIt() {
        String conversation = Conversation.creator(service).create(client).getSid();
        Participant.creator(service, conversation).setIdentity("ada").create(client);
        Map<String, Object> uploaded = emulator.uploadMedia("invoice.pdf", "application/pdf", bytes(4_096));
        String mediaSid = (String) uploaded.get("sid");

        Message message = Message.creator(service, conversation).setAuthor("ada").setMediaSid(mediaSid).create(client);

        assertNull(message.getBody(), "a message with media needs no body");
        assertEquals(List.of(Map.of("sid", mediaSid, "content_type", "application/pdf", "filename", "invoice.pdf",
                "size", 4096, "category", "media")), message.getMedia());
        Message listed = list(Message.reader(service, conversation).read(client)).get(0);
        assertEquals(message.getMedia(), listed.getMedia());
        assertEquals(message.getMedia(), Message.fetcher(service, conversation, message.getSid()).fetch(client).getMedia());
        Map<String, Object> attached = emulator.media(mediaSid).orElseThrow();
        assertEquals(message.getSid(), attached.get("message_sid"));
        assertEquals(conversation, attached.get("channel_sid"));

        Message text = Message.creator(service, conversation).setAuthor("ada").setBody("no file").create(client);
        assertNull(text.getMedia(), "\"If the Message has no media, this value is null.\"");
    }

    @Test
    void aMessageWithMediaOfNoneOrAnotherServiceIsRefused() {
        String conversation = Conversation.creator(service).create(client).getSid();
        assertError(400, 20001, () -> Message.creator(service, conversation).setMediaSid(Sids.random("ME")).create(client));
        assertTrue(emulator.messages(conversation).isEmpty());
    }

    @Test
    void theTemporaryLinkServesTheFileWithoutCredentialsUntilItExpires() {
        byte[] content = bytes(300_000);
        String mediaSid = (String) emulator.uploadMedia("scan.jpg", "image/jpeg", content).get("sid");

        HttpResponse<byte[]> fetched = Clients.get(emulator, "/mcs.us1/v1/Services/" + service + "/Media/" + mediaSid,
                Clients.accountCredentials(emulator));
        assertEquals(200, fetched.statusCode());
        String link = Json.plainCopy(parse(fetched)).get("links") instanceof Map<?, ?> links
                ? (String) links.get("content_direct_temporary") : null;
        assertTrue(link != null && link.matches("https://media\\.us1\\.twilio\\.com/" + mediaSid
                + "\\?Expires=\\d+&Signature=[\\w-]+&Key-Pair-Id=\\w+"), link);

        HttpResponse<byte[]> file = Clients.get(emulator, link, null);
        assertEquals(200, file.statusCode());
        assertArrayEquals(content, file.body());
        assertEquals("image/jpeg", file.headers().firstValue("Content-Type").orElse(null));

        assertEquals(403, Clients.get(emulator, link.replaceFirst("Signature=[\\w-]", "Signature=X"), null).statusCode());
        assertEquals(403, Clients.get(emulator, link.replaceFirst("Expires=\\d+", "Expires=99999999999"), null).statusCode(),
                "a later expiry than signed");
        assertEquals(403, Clients.get(emulator, "https://media.us1.twilio.com/" + mediaSid, null).statusCode());
        HttpResponse<byte[]> other = Clients.get(emulator, link.replace(mediaSid, Sids.random("ME")), null);
        assertEquals(403, other.statusCode(), "a link signs its own file only");

        emulator.advanceClock(Duration.ofMinutes(6));
        HttpResponse<byte[]> expired = Clients.get(emulator, link, null);
        assertEquals(403, expired.statusCode());
        assertTrue(new String(expired.body(), StandardCharsets.UTF_8).contains("<Code>AccessDenied</Code>"));
        assertEquals(200, Clients.get(emulator, (String) ((Map<?, ?>) emulator.media(mediaSid).orElseThrow().get("links"))
                .get("content_direct_temporary"), null).statusCode(), "a fetch signs a fresh link");
    }

    @Test
    void theContentLinkServesTheFileWithCredentials() {
        byte[] content = bytes(10);
        Map<String, Object> uploaded = emulator.uploadMedia(null, "application/octet-stream", content);
        String path = "https://mcs.us1.twilio.com" + ((Map<?, ?>) uploaded.get("links")).get("content");

        assertArrayEquals(content, Clients.get(emulator, path, Clients.accountCredentials(emulator)).body());
        assertEquals(401, Clients.get(emulator, path, null).statusCode());
        assertNull(uploaded.get("filename"), "a file uploaded without a name has none");
        assertEquals(404, Clients.get(emulator, "/mcs.us1/v1/Services/" + service + "/Media/" + Sids.random("ME"),
                Clients.accountCredentials(emulator)).statusCode());
    }

    @Test
    void postMediaSendsAFileAsAParticipantsSdkDoesWithItsWebhooks() {
        Webhook.updater(service).setPreWebhookUrl(receiver.url("/media-pre")).setPostWebhookUrl(receiver.url("/media-post"))
                .setFilters(List.of("onMessageAdd", "onMessageAdded")).setMethod("POST").update(client);
        String conversation = Conversation.creator(service).create(client).getSid();
        Participant.creator(service, conversation).setIdentity("visitor-1").create(client);
        byte[] content = bytes(1_234);

        Map<String, Object> message = emulator.postMedia(conversation, "visitor-1", "photo.png", "image/png", content);

        assertEquals("visitor-1", message.get("author"));
        assertNull(message.get("body"));
        Map<?, ?> media = (Map<?, ?>) ((List<?>) message.get("media")).get(0);
        assertEquals("photo.png", media.get("filename"));
        assertEquals(1_234L, ((Number) media.get("size")).longValue());
        Map<String, Object> file = emulator.media((String) media.get("sid")).orElseThrow();
        assertEquals("visitor-1", file.get("author"));
        assertEquals(message.get("sid"), file.get("message_sid"));
        emulator.awaitWebhooks(WAIT);
        for (String path : List.of("/media-pre", "/media-post")) {
            WebhookReceiver.Received received = receiver.received(path).get(0);
            assertEquals("SDK", received.param("Source"));
            assertEquals("[{\"Sid\":\"" + media.get("sid") + "\",\"Filename\":\"photo.png\",\"ContentType\":\"image/png\","
                    + "\"Size\":1234,\"Category\":\"media\"}]", received.param("Media"), path);
        }
        assertFalse(emulator.messages(conversation).isEmpty());
    }

    @Test
    void faultsApplyToTheMediaHostToo() {
        String mediaSid = (String) emulator.uploadMedia("a.bin", "application/octet-stream", bytes(100)).get("sid");
        String link = (String) ((Map<?, ?>) emulator.media(mediaSid).orElseThrow().get("links")).get("content_direct_temporary");
        emulator.failNext("GET", "/media\\.us1/.*", 500, 20500, 1);
        assertEquals(500, Clients.get(emulator, link, null).statusCode());
        assertEquals(200, Clients.get(emulator, link, null).statusCode());
        RecordedRequest served = emulator.requests("GET", "/media\\.us1/.*").get(1);
        assertEquals("", served.responseBody(), "a binary file is not kept in the journal");
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(HttpResponse<byte[]> response) {
        try {
            return Json.parse(text(response));
        } catch (Exception e) {
            throw new AssertionError(text(response), e);
        }
    }
}
