package com.flexwebchat.shared.chat.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.ChatMessage;
import com.flexwebchat.shared.chat.StartedChat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.Webhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.twilio.TwilioFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Legacy Flex web chats (FLEX_FLOW_SID) through {@link WebChats}, as the functions use them, the
 * real SDK over HTTP to the emulator: what reaches Twilio, and the state that results.
 */
class ProgrammableChatTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String CHANNEL = "/chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Channels/CH[0-9a-f]{32}";
    static final String MESSAGES = CHANNEL + "/Messages";
    static final String WEB_CHANNEL = "/flex-api/v1/WebChannels/CH[0-9a-f]{32}";
    static final String FORM = "{\"friendlyName\":\"Ada Lovelace\",\"email\":\"ada@example.com\","
            + "\"query\":\"Where is my order 4711?\",\"department\":\"billing\"}";
    static final String CUSTOMER_LEFT = "The customer has left the chat";

    /** One per test: the visitors' Chat users and memberships are Twilio state that tests must not share. */
    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest().legacy();

    /** Legacy web chats, as the functions get them from the test's runtime. */
    static WebChats chats() {
        return twilio.runtime().chats();
    }

    /** A legacy chat as /initWebchat starts it, with the journal cleared after. */
    StartedChat startChat() {
        StartedChat chat = chats().start("Ada Lovelace", FORM);
        twilio.emulator().clearRequests();
        return chat;
    }

    JsonNode attributes(String channelSid) throws Exception {
        return Json.parse((String) twilio.emulator().chatChannel(channelSid).orElseThrow().get("attributes"));
    }

    List<String> paths(List<RecordedRequest> requests) {
        return requests.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    // --- starting a chat -----------------------------------------------------------------------------------

    @Test
    void aChatIsAWebChannelTheFlexFlowCreatesForAFreshRandomIdentity() throws Exception {
        StartedChat chat = chats().start("Ada", "{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}");

        assertTrue(twilio.emulator().chatChannel(chat.sid()).isPresent(), "a Programmable Chat channel");
        List<RecordedRequest> requests = twilio.emulator().requests();
        assertEquals(List.of("POST /flex-api/v1/WebChannels"), paths(requests));
        RecordedRequest create = requests.get(0);
        assertEquals(List.of(ACCOUNT.flexFlowSid()), create.form().get("FlexFlowSid"));
        assertEquals(List.of("Ada"), create.form().get("CustomerFriendlyName"));
        assertEquals(List.of("Webchat widget"), create.form().get("ChatFriendlyName"));
        assertEquals("Hi", Json.parse(create.form().get("PreEngagementData").get(0)).get("query").asText());
        assertEquals(List.of(chat.identity()), create.form().get("Identity"));
        assertEquals(36, chat.identity().length(), "a fresh random identity");
    }

    @Test
    void twoVisitorsNeverShareAnIdentity() {
        StartedChat first = chats().start("Customer", "{}");
        StartedChat second = chats().start("Customer", "{}");

        assertNotEquals(first.identity(), second.identity());
        List<RecordedRequest> creates = twilio.emulator().requests("POST", "/flex-api/v1/WebChannels");
        assertEquals(2, creates.size());
        assertNotEquals(creates.get(0).form().get("Identity"), creates.get(1).form().get("Identity"));
    }

    @Test
    void legacyChatsHaveNoTimers() {
        StartedChat chat = startChat();

        assertFalse(chats().hasTimers());
        chats().startTimers(chat.sid(), Duration.ofDays(1), Duration.ofMinutes(30));

        assertEquals(List.of(), twilio.emulator().requests(), "nothing to set, so nothing asked");
    }

    // --- messages ------------------------------------------------------------------------------------------

    @Test
    void theVisitorsMessageIsPostedAsThemWithWebhooksOn() {
        StartedChat chat = startChat();

        chats().postAsVisitor(chat, "Hi");

        List<RecordedRequest> posts = twilio.emulator().requests("POST", MESSAGES);
        assertEquals(1, posts.size());
        assertEquals("/chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Channels/" + chat.sid() + "/Messages", posts.get(0).path());
        assertEquals(List.of(chat.identity()), posts.get(0).form().get("From"));
        assertEquals(List.of("Hi"), posts.get(0).form().get("Body"));
        assertEquals(List.of("true"), posts.get(0).headers().get("x-twilio-webhook-enabled"), "the Studio flow hears it");
        assertEquals(List.of(), twilio.emulator().requests(null, "/conversations/.*"));
    }

    @Test
    void aConciergeNoticeIsPostedWithoutWebhooksAndWithItsAttributes() throws Exception {
        StartedChat chat = startChat();

        chats().postAsConcierge(chat.sid(), CUSTOMER_LEFT, Json.object().put("chatEnding", "customer_left"));

        RecordedRequest notice = twilio.emulator().requests("POST", MESSAGES).get(0);
        assertEquals("Concierge", notice.formValue("From"));
        assertEquals(CUSTOMER_LEFT, notice.formValue("Body"));
        assertNull(notice.header("X-Twilio-Webhook-Enabled"), "no flow reacts to the notice");
        assertEquals(Json.parse("{\"chatEnding\":\"customer_left\"}"), Json.parse(notice.formValue("Attributes")));
        Map<String, Object> stored = twilio.emulator().chatMessages(chat.sid()).get(0);
        assertEquals(CUSTOMER_LEFT, stored.get("body"));
        assertEquals("Concierge", stored.get("from"));
    }

    @Test
    void aConciergeNoticeWithoutAttributesSendsNone() {
        StartedChat chat = startChat();

        chats().postAsConcierge(chat.sid(), "Welcome Ada! An agent will be with you in just a moment.", null);

        RecordedRequest notice = twilio.emulator().requests("POST", MESSAGES).get(0);
        assertEquals("Concierge", notice.formValue("From"));
        assertFalse(notice.form().containsKey("Attributes"));
        assertNull(notice.header("X-Twilio-Webhook-Enabled"));
    }

    @Test
    void theLatestMessagesAreAskedNewestFirstAndCarryTheirAuthorsAndAttributes() {
        StartedChat chat = startChat();
        chats().postAsVisitor(chat, "Hi");
        chats().postAsConcierge(chat.sid(), CUSTOMER_LEFT, Json.object().put("chatEnding", "customer_left"));
        twilio.emulator().clearRequests();

        List<ChatMessage> latest = chats().latestMessages(chat.sid(), 5);

        assertEquals(2, latest.size());
        assertTrue(latest.get(0).isConciergeNotice("chatEnding"), "the newest first, recognised as the notice posted before");
        assertEquals(chat.identity(), latest.get(1).author());
        assertFalse(latest.get(0).isConciergeNotice("joinedParticipantSid"));
        List<RecordedRequest> reads = twilio.emulator().requests();
        assertEquals(List.of("GET /chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Channels/" + chat.sid() + "/Messages"),
                paths(reads));
        assertEquals(List.of("desc"), reads.get(0).queryParams().get("Order"));
        assertEquals(List.of("5"), reads.get(0).queryParams().get("PageSize"));
    }

    // --- reading a chat ------------------------------------------------------------------------------------

    @Test
    void findReadsTheChannelWithThePreEngagementDataStudioRoutesOn() throws Exception {
        StartedChat chat = startChat();

        Chat found = chats().find(chat.sid()).orElseThrow();

        assertEquals(chat.sid(), found.sid());
        assertFalse(found.ended());
        assertEquals(Json.parse(FORM), found.preEngagementData());
        assertEquals("Ada Lovelace", found.preEngagementData().get("friendlyName").asText());
        assertEquals("Where is my order 4711?", found.preEngagementData().get("query").asText());
        assertEquals(List.of("GET /chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Channels/" + chat.sid()),
                paths(twilio.emulator().requests()), "one read of the channel");
    }

    @Test
    void aChannelFlexMarkedInactiveHasEnded() {
        StartedChat chat = startChat();
        twilio.emulator().updateChatChannelAttributes(chat.sid(), "{\"status\":\"INACTIVE\",\"from\":\"Ada\"}");

        assertTrue(chats().find(chat.sid()).orElseThrow().ended());
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void aChannelTwilioDoesNotKnowIsNotFound() {
        assertEquals(Optional.empty(), chats().find("CH" + "cd".repeat(16)));

        assertEquals(1, twilio.emulator().requests("GET", CHANNEL).size());
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void aVisitorHasAnOpenChatWhileTheChannelIsActiveAndNoneOnceFlexMarksItInactive() {
        StartedChat chat = startChat();

        assertEquals(List.of(chat.sid()), chats().openChatsOf(chat.identity()));
        assertEquals(List.of("GET /chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Users/" + chat.identity() + "/Channels",
                        "GET /chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Channels/" + chat.sid()),
                paths(twilio.emulator().requests()), "the visitor's channels, each read for its status");
        assertTrue(chats().hasOpenChat(chat.identity()));

        twilio.emulator().updateChatChannelAttributes(chat.sid(), "{\"status\":\"INACTIVE\"}");

        assertEquals(List.of(), chats().openChatsOf(chat.identity()));
        assertFalse(chats().hasOpenChat(chat.identity()));
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void anIdentityWithoutAChannelHasNoOpenChat() {
        assertFalse(chats().hasOpenChat("never-chatted"));
        assertEquals(List.of(), chats().openChatsOf("never-chatted"));
    }

    // --- ending a chat -------------------------------------------------------------------------------------

    @Test
    void closingEndsTheWebChannelAsFlexDoes() throws Exception {
        StartedChat chat = startChat();

        assertTrue(chats().close(chat.sid(), Webhooks.ON));

        List<RecordedRequest> writes = twilio.emulator().writes();
        assertEquals(List.of("POST /flex-api/v1/WebChannels/" + chat.sid()), paths(writes));
        assertEquals(Map.of("ChatStatus", List.of("inactive")), writes.get(0).form());
        assertEquals("INACTIVE", attributes(chat.sid()).get("status").asText());
        assertTrue(chats().find(chat.sid()).orElseThrow().ended());
        assertFalse(chats().hasOpenChat(chat.identity()), "its tokens are no longer renewed");
        assertEquals(List.of(), twilio.emulator().requests(null, "/conversations/.*"), "a channel, whatever name its SID came under");
    }

    @Test
    void aChannelNotMadeByWebChannelsIsEndedThroughItsAttributesWithWebhooksWhenAsked() throws Exception {
        StartedChat chat = startChat();
        twilio.emulator().failNext("POST", WEB_CHANNEL, 404, 20404, 1);

        assertTrue(chats().close(chat.sid(), Webhooks.ON));

        List<RecordedRequest> updates = twilio.emulator().requests("POST", CHANNEL);
        assertEquals(1, updates.size(), twilio.emulator().requests().toString());
        RecordedRequest update = updates.get(0);
        assertEquals("true", update.header("X-Twilio-Webhook-Enabled"), "Flex's own clean-up hears the change");
        JsonNode written = Json.parse(update.formValue("Attributes"));
        assertEquals("INACTIVE", written.get("status").asText());
        assertEquals("Ada Lovelace", written.get("from").asText(), "the rest of the attributes is kept");
        assertEquals("Where is my order 4711?", written.at("/pre_engagement_data/query").asText());
        assertEquals("web", written.get("channel_type").asText());
        assertEquals("INACTIVE", attributes(chat.sid()).get("status").asText());
        assertTrue(twilio.logs().text().contains("Not a Flex web channel"), twilio.logs().text());
    }

    @Test
    void aChannelNotMadeByWebChannelsIsEndedWithoutWebhooksWhenNotAsked() throws Exception {
        StartedChat chat = startChat();
        twilio.emulator().failNext("POST", WEB_CHANNEL, 404, 20404, 1);

        assertTrue(chats().close(chat.sid(), Webhooks.OFF));

        RecordedRequest update = twilio.emulator().requests("POST", CHANNEL).get(0);
        assertNull(update.header("X-Twilio-Webhook-Enabled"));
        assertEquals("INACTIVE", attributes(chat.sid()).get("status").asText());
    }

    @Test
    void aChannelNotMadeByWebChannelsThatHasEndedIsLeftAsItIs() {
        StartedChat chat = startChat();
        twilio.emulator().updateChatChannelAttributes(chat.sid(), "{\"status\":\"INACTIVE\",\"from\":\"Ada\"}");
        twilio.emulator().failNext("POST", WEB_CHANNEL, 404, 20404, 1);

        assertFalse(chats().close(chat.sid(), Webhooks.ON), "it had ended already");

        assertEquals(List.of(), twilio.emulator().requests("POST", CHANNEL));
    }

    @Test
    void whenFlexFailsToEndTheWebChannelTheFailureIsTheCallersAndTheChannelStaysActive() throws Exception {
        StartedChat chat = startChat();
        twilio.emulator().failNext("POST", WEB_CHANNEL, 500, 20500, 1);

        TwilioFailure failure = assertThrows(TwilioFailure.class, () -> chats().close(chat.sid(), Webhooks.ON));

        assertEquals(500, failure.twilioStatus());
        assertEquals(List.of(), twilio.emulator().requests("POST", CHANNEL), "only a 404 means another kind of channel");
        assertEquals("ACTIVE", attributes(chat.sid()).get("status").asText());
    }
}
