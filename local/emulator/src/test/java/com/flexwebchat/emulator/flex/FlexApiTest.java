package com.flexwebchat.emulator.flex;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.flexwebchat.emulator.testing.SdkAgainstEmulator;
import com.twilio.exception.ApiException;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.channel.Member;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.User;
import com.twilio.rest.flexapi.v1.WebChannel;
import com.twilio.rest.flexapi.v2.WebChannels;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.flexwebchat.emulator.testing.Clients.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flex web chat start-up, v2 (Conversations) and legacy v1 (Chat), driven through twilio-java. */
class FlexApiTest extends SdkAgainstEmulator {

    @Test
    void webChatCreatesConversationUserAndParticipant() throws Exception {
        WebChannels chat = WebChannels.creator(account.addressSid())
                .setChatFriendlyName("Chat with Ada")
                .setCustomerFriendlyName("Ada")
                .setPreEngagementData("{\"email\":\"ada@example.com\",\"question\":\"Hi\"}")
                .setIdentity("ada")
                .setUiVersion("2.9.0")
                .create(client);

        assertTrue(Sids.isSid("CH", chat.getConversationSid()), chat.getConversationSid());
        assertEquals("ada", chat.getIdentity());

        Map<String, Object> conversation = emulator.conversation(chat.getConversationSid()).orElseThrow();
        assertEquals("Chat with Ada", conversation.get("friendly_name"));
        assertEquals("active", conversation.get("state"));
        assertEquals(account.conversationsServiceSid(), conversation.get("chat_service_sid"));
        JsonNode attributes = Json.parse((String) conversation.get("attributes"));
        assertEquals("ada@example.com", attributes.at("/pre_engagement_data/email").asText());

        List<Map<String, Object>> participants = emulator.participants(chat.getConversationSid());
        assertEquals(1, participants.size());
        assertEquals("ada", participants.get(0).get("identity"));

        User user = User.fetcher("ada").fetch(client);
        assertEquals("Ada", user.getFriendlyName());
        assertEquals("2.9.0", emulator.requests("POST", "/flex-api/v2/WebChats").get(0).header("Ui-Version"));
    }

    @Test
    void webChatWithoutIdentityMakesOneUp() {
        WebChannels chat = WebChannels.creator(account.addressSid()).setCustomerFriendlyName("Guest").create(client);

        UUID.fromString(chat.getIdentity());
        assertEquals(chat.getIdentity(), emulator.participants(chat.getConversationSid()).get(0).get("identity"));
    }

    @Test
    void webChatForUnknownAddressIs404AndCreatesNothing() {
        int before = countConversations();

        ApiException e = assertThrows(ApiException.class, () ->
                WebChannels.creator(Sids.random("IG")).setIdentity("eve").create(client));

        assertEquals(20404, e.getCode());
        assertEquals(404, e.getStatusCode());
        assertEquals(before, countConversations());
        assertThrows(ApiException.class, () -> User.fetcher("eve").fetch(client));
    }

    @Test
    void webChatRequiresAddressSidAndJsonPreEngagementData() throws Exception {
        HttpResponse<String> missing = Clients.raw(emulator, "POST", "/flex-api/v2/WebChats",
                Map.of("Identity", List.of("x")));
        assertEquals(400, missing.statusCode());
        assertEquals(20001, Json.parse(missing.body()).get("code").asInt());
        assertTrue(Json.parse(missing.body()).get("message").asText().contains("AddressSid"));

        ApiException badJson = assertThrows(ApiException.class, () -> WebChannels.creator(account.addressSid())
                .setPreEngagementData("{not json").create(client));
        assertEquals(400, badJson.getStatusCode());
    }

    @Test
    void legacyWebChannelCreatesChatChannelWithMember() throws Exception {
        WebChannel webChannel = WebChannel.creator(account.flexFlowSid(), "bob", "Bob", "Chat with Bob")
                .setPreEngagementData("{\"topic\":\"billing\"}")
                .setChatUniqueName("bob-chat")
                .create(client);

        assertTrue(Sids.isSid("CH", webChannel.getSid()));
        assertEquals(account.flexFlowSid(), webChannel.getFlexFlowSid());
        assertEquals(account.accountSid(), webChannel.getAccountSid());
        assertEquals("https://flex-api.twilio.com/v1/WebChannels/" + webChannel.getSid(), webChannel.getUrl().toString());

        Channel channel = Channel.fetcher(account.chatServiceSid(), webChannel.getSid()).fetch(client);
        assertEquals("Chat with Bob", channel.getFriendlyName());
        assertEquals("bob-chat", channel.getUniqueName());
        assertEquals(1, channel.getMembersCount());
        JsonNode attributes = Json.parse(channel.getAttributes());
        assertEquals("ACTIVE", attributes.get("status").asText());
        assertEquals("billing", attributes.at("/pre_engagement_data/topic").asText());

        List<Member> members = list(Member.reader(account.chatServiceSid(), webChannel.getSid()).read(client));
        assertEquals(1, members.size());
        assertEquals("bob", members.get(0).getIdentity());
    }

    @Test
    void legacyWebChannelIsFetchedAndEnded() throws Exception {
        String sid = WebChannel.creator(account.flexFlowSid(), "carl", "Carl", "Chat with Carl").create(client).getSid();

        assertEquals(sid, WebChannel.fetcher(sid).fetch(client).getSid());
        WebChannel ended = WebChannel.updater(sid)
                .setChatStatus(WebChannel.ChatStatus.INACTIVE)
                .setPostEngagementData("{\"rating\":5}")
                .update(client);

        assertEquals(sid, ended.getSid());
        JsonNode attributes = Json.parse((String) emulator.chatChannel(sid).orElseThrow().get("attributes"));
        assertEquals("INACTIVE", attributes.get("status").asText());
        assertEquals(5, attributes.at("/post_engagement_data/rating").asInt());
    }

    @Test
    void legacyWebChannelForUnknownFlexFlowIs404() {
        ApiException e = assertThrows(ApiException.class, () ->
                WebChannel.creator(Sids.random("FO"), "dan", "Dan", "Chat").create(client));
        assertEquals(20404, e.getCode());
        assertThrows(ApiException.class, () -> WebChannel.fetcher(Sids.random("CH")).fetch(client));
    }

    @Test
    void chatChannelUpdateChangesAttributesAndRecordsWebhookHeader() {
        String sid = WebChannel.creator(account.flexFlowSid(), "fay", "Fay", "Chat with Fay").create(client).getSid();

        Channel updated = Channel.updater(account.chatServiceSid(), sid)
                .setAttributes("{\"status\":\"INACTIVE\"}")
                .setXTwilioWebhookEnabled(Channel.WebhookEnabledType.TRUE)
                .update(client);

        assertEquals("{\"status\":\"INACTIVE\"}", updated.getAttributes());
        RecordedRequest request = emulator.requests("POST", "/chat/v2/Services/.+/Channels/" + sid).get(0);
        assertEquals("true", request.header("X-Twilio-Webhook-Enabled"));
        assertEquals("{\"status\":\"INACTIVE\"}", request.formValue("Attributes"));
    }

    @Test
    void chatChannelInAnotherServiceIs404() {
        String sid = WebChannel.creator(account.flexFlowSid(), "gus", "Gus", "Chat").create(client).getSid();
        ApiException e = assertThrows(ApiException.class, () -> Channel.fetcher(Sids.random("IS"), sid).fetch(client));
        assertEquals(404, e.getStatusCode());
    }

    private static int countConversations() {
        return list(Conversation.reader().read(client)).size();
    }
}
