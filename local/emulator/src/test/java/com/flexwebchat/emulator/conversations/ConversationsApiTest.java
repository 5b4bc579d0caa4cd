package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.SdkAgainstEmulator;
import com.twilio.base.Page;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.ParticipantConversation;
import com.twilio.rest.conversations.v1.User;
import com.twilio.rest.conversations.v1.conversation.Message;
import com.twilio.rest.conversations.v1.conversation.Participant;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertError;
import static com.flexwebchat.emulator.testing.Clients.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversations v1 through twilio-java, account-level and service-scoped. */
class ConversationsApiTest extends SdkAgainstEmulator {

    private static final String service = EmulatorAccount.defaults().conversationsServiceSid();

    @Test
    void conversationLifecycle() {
        Conversation created = Conversation.creator()
                .setFriendlyName("Support")
                .setUniqueName("support-1")
                .setAttributes("{\"topic\":\"billing\"}")
                .setTimersInactive("PT5M")
                .setTimersClosed("PT1H")
                .create(client);

        assertTrue(Sids.isSid("CH", created.getSid()));
        assertEquals(Conversation.State.ACTIVE, created.getState());
        assertEquals(service, created.getChatServiceSid());
        assertEquals("https://conversations.twilio.com/v1/Conversations/" + created.getSid(), created.getUrl().toString());
        assertEquals(created.getUrl() + "/Messages", created.getLinks().get("messages"));
        Map<?, ?> timers = (Map<?, ?>) created.getTimers();
        assertNotNull(timers.get("date_inactive"));
        assertNotNull(timers.get("date_closed"));

        // The unique name addresses the conversation in place of its SID.
        assertEquals(created.getSid(), Conversation.fetcher("support-1").fetch(client).getSid());

        Conversation updated = Conversation.updater(created.getSid())
                .setFriendlyName("Support (2)")
                .setState(Conversation.State.INACTIVE)
                .update(client);
        assertEquals("Support (2)", updated.getFriendlyName());
        assertEquals(Conversation.State.INACTIVE, updated.getState());

        List<Conversation> inactive = list(Conversation.reader().setState(Conversation.State.INACTIVE).read(client));
        assertTrue(inactive.stream().anyMatch(c -> c.getSid().equals(created.getSid())));

        assertTrue(Conversation.deleter(created.getSid()).delete(client));
        assertError(404, 20404, () -> Conversation.fetcher(created.getSid()).fetch(client));
    }

    @Test
    void serviceScopedEndpointsSeeTheSameConversations() {
        String sid = Conversation.creator().setFriendlyName("Shared").create(client).getSid();

        com.twilio.rest.conversations.v1.service.Conversation scoped =
                com.twilio.rest.conversations.v1.service.Conversation.fetcher(service, sid).fetch(client);
        assertEquals("https://conversations.twilio.com/v1/Services/" + service + "/Conversations/" + sid,
                scoped.getUrl().toString());

        com.twilio.rest.conversations.v1.service.conversation.Message message =
                com.twilio.rest.conversations.v1.service.conversation.Message.creator(service, sid)
                        .setBody("hello").create(client);
        assertEquals(service, message.getChatServiceSid());
        assertEquals("system", message.getAuthor());

        String created = com.twilio.rest.conversations.v1.service.Conversation.creator(service)
                .setFriendlyName("Scoped").create(client).getSid();
        assertEquals("Scoped", Conversation.fetcher(created).fetch(client).getFriendlyName());

        assertError(404, 20404, () -> com.twilio.rest.conversations.v1.service.Conversation
                .fetcher(Sids.random("IS"), sid).fetch(client));
    }

    @Test
    void participantsAndMessages() {
        String sid = Conversation.creator().create(client).getSid();
        Participant ada = Participant.creator(sid).setIdentity("ada").setAttributes("{\"role\":\"customer\"}").create(client);

        assertTrue(Sids.isSid("MB", ada.getSid()));
        assertEquals("ada", ada.getIdentity());
        assertNull(ada.getMessagingBinding());
        assertEquals(ada.getSid(), Participant.fetcher(sid, ada.getSid()).fetch(client).getSid());
        assertEquals(1, list(Participant.reader(sid).read(client)).size());
        assertError(409, 50433, () -> Participant.creator(sid).setIdentity("ada").create(client));

        Message first = Message.creator(sid).setAuthor("ada").setBody("Hi")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);
        Message second = Message.creator(sid).setAuthor("agent").setBody("Hello Ada")
                .setAttributes("{\"k\":1}").create(client);

        assertTrue(Sids.isSid("IM", first.getSid()));
        assertEquals(0, first.getIndex());
        assertEquals(1, second.getIndex());
        assertEquals(ada.getSid(), first.getParticipantSid());
        assertNull(second.getParticipantSid());
        assertEquals("{\"k\":1}", second.getAttributes());
        assertEquals("Hello Ada", Message.fetcher(sid, second.getSid()).fetch(client).getBody());
        List<String> newestFirst = list(Message.reader(sid).setOrder(Message.OrderType.DESC).read(client))
                .stream().map(Message::getBody).collect(Collectors.toList());
        assertEquals(List.of("Hello Ada", "Hi"), newestFirst);
        assertEquals(2, emulator.messages(sid).size());
        assertEquals("true", emulator.requests("POST", ".*/Messages").get(0).header("x-twilio-webhook-enabled"));

        assertTrue(Participant.deleter(sid, ada.getSid()).delete(client));
        assertTrue(emulator.participants(sid).isEmpty());
    }

    @Test
    void messagingParticipantHasABinding() {
        String sid = Conversation.creator().create(client).getSid();
        Participant sms = Participant.creator(sid)
                .setMessagingBindingAddress("+15558675310")
                .setMessagingBindingProxyAddress("+15017122661")
                .create(client);

        assertNull(sms.getIdentity());
        assertEquals("sms", ((Map<?, ?>) sms.getMessagingBinding()).get("type"));
        assertError(400, 20001, () -> Participant.creator(sid).create(client));
    }

    @Test
    void closedConversationsAreReadOnly() {
        String sid = Conversation.creator().create(client).getSid();
        Participant.creator(sid).setIdentity("closer").create(client);

        emulator.closeConversation(sid);

        assertEquals(Conversation.State.CLOSED, Conversation.fetcher(sid).fetch(client).getState());
        assertError(400, 50377, () -> Message.creator(sid).setBody("too late").create(client));
        assertError(400, 50377, () -> Participant.creator(sid).setIdentity("late").create(client));
        assertError(400, 50377, () -> Conversation.updater(sid).setState(Conversation.State.ACTIVE).update(client));
        assertTrue(emulator.messages(sid).isEmpty());
        assertTrue(((Map<?, ?>) emulator.conversation(sid).orElseThrow().get("timers")).isEmpty());
    }

    @Test
    void closingThroughTheApi() {
        String sid = Conversation.creator().create(client).getSid();
        Conversation closed = Conversation.updater(sid).setState(Conversation.State.CLOSED).update(client);
        assertEquals(Conversation.State.CLOSED, closed.getState());
        assertError(400, 50384, () -> Conversation.creator().setState(Conversation.State.CLOSED).create(client));
    }

    @Test
    void rejectsBadParameters() {
        assertError(409, 50353, () -> {
            Conversation.creator().setUniqueName("taken").create(client);
            Conversation.creator().setUniqueName("taken").create(client);
        });
        assertError(400, 20001, () -> Conversation.creator().setAttributes("{oops").create(client));
        assertError(400, 20001, () -> Conversation.creator().setTimersClosed("soon").create(client));
        // "Minimum value for this timer is 10 minutes."
        assertError(400, 20001, () -> Conversation.creator().setTimersClosed("PT5M").create(client));
    }

    @Test
    void users() {
        User carol = User.creator("carol").setFriendlyName("Carol").create(client);

        assertTrue(Sids.isSid("US", carol.getSid()));
        assertEquals(service, carol.getChatServiceSid());
        assertTrue(Sids.isSid("RL", carol.getRoleSid()));
        assertEquals(carol.getSid(), User.fetcher("carol").fetch(client).getSid());
        assertEquals("Caroline", User.updater(carol.getSid()).setFriendlyName("Caroline").update(client).getFriendlyName());
        assertEquals("Caroline", com.twilio.rest.conversations.v1.service.User.fetcher(service, carol.getSid())
                .fetch(client).getFriendlyName());
        assertError(409, 50201, () -> User.creator("carol").create(client));
        assertTrue(list(User.reader().read(client)).stream().anyMatch(u -> u.getIdentity().equals("carol")));
    }

    @Test
    void usersAreAddressedByIdentityAndCreatedForParticipants() {
        String sid = Conversation.creator().create(client).getSid();
        Participant.creator(sid).setIdentity("erin").create(client);

        Map<String, Object> erin = emulator.user("erin").orElseThrow();
        String userSid = (String) erin.get("sid");
        assertTrue(Sids.isSid("US", userSid));
        assertEquals(userSid, User.fetcher("erin").fetch(client).getSid());

        com.twilio.rest.conversations.v1.service.User scoped = com.twilio.rest.conversations.v1.service.User
                .updater(service, "erin").setFriendlyName("Erin").setAttributes("{\"tier\":\"gold\"}").update(client);
        assertEquals("Erin", scoped.getFriendlyName());
        assertEquals("https://conversations.twilio.com/v1/Services/" + service + "/Users/" + userSid, scoped.getUrl().toString());
        assertEquals("{\"tier\":\"gold\"}", User.fetcher(userSid).fetch(client).getAttributes());
        assertEquals("Erin", com.twilio.rest.conversations.v1.service.User.fetcher(service, "erin").fetch(client)
                .getFriendlyName());
        assertTrue(emulator.user("nobody").isEmpty());
        assertError(404, 20404, () -> User.updater("nobody").setFriendlyName("x").update(client));
    }

    @Test
    void participantAttributesAndRoleCanBeUpdated() {
        String sid = Conversation.creator().create(client).getSid();
        Participant fay = Participant.creator(sid).setIdentity("fay").setAttributes("{\"a\":1}").create(client);

        Participant updated = Participant.updater(sid, fay.getSid()).setAttributes("{\"a\":2}").update(client);
        assertEquals("{\"a\":2}", updated.getAttributes());
        assertEquals(fay.getRoleSid(), updated.getRoleSid());

        String admin = Roles.channelAdmin(service);
        com.twilio.rest.conversations.v1.service.conversation.Participant scoped =
                com.twilio.rest.conversations.v1.service.conversation.Participant.updater(service, sid, fay.getSid())
                        .setRoleSid(admin).setLastReadMessageIndex(3).update(client);
        assertEquals(admin, scoped.getRoleSid());
        assertEquals(3, scoped.getLastReadMessageIndex());
        assertEquals("{\"a\":2}", scoped.getAttributes());
        assertEquals(admin, emulator.participants(sid).get(0).get("role_sid"));

        assertError(400, 20001, () -> Participant.updater(sid, fay.getSid()).setRoleSid(Sids.random("RL")).update(client));
        assertError(400, 20001, () -> Participant.updater(sid, fay.getSid()).setAttributes("{oops").update(client));
        assertError(404, 20404, () -> Participant.updater(sid, Sids.random("MB")).setAttributes("{}").update(client));
        emulator.closeConversation(sid);
        assertError(400, 50377, () -> Participant.updater(sid, fay.getSid()).setAttributes("{}").update(client));
    }

    @Test
    void participantConversationsListTheIdentitysConversations() {
        String open = Conversation.creator().setFriendlyName("Open").create(client).getSid();
        String closed = Conversation.creator().setFriendlyName("Closed").create(client).getSid();
        Conversation.creator().create(client);
        Participant.creator(open).setIdentity("dora").create(client);
        Participant.creator(closed).setIdentity("dora").create(client);
        emulator.closeConversation(closed);

        Map<String, ParticipantConversation> bySid = list(ParticipantConversation.reader().setIdentity("dora").read(client))
                .stream().collect(Collectors.toMap(ParticipantConversation::getConversationSid, pc -> pc));

        assertEquals(2, bySid.size());
        assertEquals(ParticipantConversation.State.ACTIVE, bySid.get(open).getConversationState());
        assertEquals(ParticipantConversation.State.CLOSED, bySid.get(closed).getConversationState());
        assertEquals("Open", bySid.get(open).getConversationFriendlyName());
        assertEquals("dora", bySid.get(open).getParticipantIdentity());
        assertEquals(User.fetcher("dora").fetch(client).getSid(), bySid.get(open).getParticipantUserSid());

        assertEquals(2, list(com.twilio.rest.conversations.v1.service.ParticipantConversation.reader(service)
                .setIdentity("dora").read(client)).size());
    }

    @Test
    void listsArePagedLikeTwilio() {
        String sid = Conversation.creator().create(client).getSid();
        for (int i = 0; i < 5; i++) {
            Message.creator(sid).setBody("m" + i).create(client);
        }
        emulator.clearRequests();

        Page<Message> first = Message.reader(sid).setPageSize(2L).firstPage(client);
        assertEquals(2, first.getRecords().size());
        assertTrue(first.hasNextPage());

        // The SDK follows next_page_url through all pages.
        List<String> bodies = list(Message.reader(sid).setPageSize(2L).read(client))
                .stream().map(Message::getBody).collect(Collectors.toList());
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), bodies);
        List<String> queries = emulator.requests("GET", ".*/Messages").stream()
                .map(RecordedRequest::query).collect(Collectors.toList());
        assertEquals(List.of("PageSize=2", "PageSize=2", "PageSize=2&Page=1", "PageSize=2&Page=2"), queries);
    }
}
