package com.flexwebchat.emulator;

import com.flexwebchat.emulator.http.Route;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.channel.Member;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.ParticipantConversation;
import com.twilio.rest.conversations.v1.User;
import com.twilio.rest.conversations.v1.conversation.Message;
import com.twilio.rest.conversations.v1.conversation.Participant;
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.flexapi.v1.WebChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelUpdater;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.taskrouter.v1.Workspace;
import com.twilio.rest.taskrouter.v1.workspace.Task;
import com.twilio.rest.taskrouter.v1.workspace.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertViolation;
import static com.flexwebchat.emulator.testing.Clients.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator against Twilio's OpenAPI specs: every operation it serves, driven through twilio-java, must
 * conform, and a request that breaks them is reported. The checker's own tests (that it catches requests and
 * responses that break the specs, and fails without them) are {@code contract.OpenApiContractTest}.
 */
class ContractTest {

    private static TwilioContract contract;
    private static TwilioEmulator emulator;
    private static TwilioRestClient client;
    private static EmulatorAccount account;

    @BeforeAll
    static void start() {
        contract = TwilioContract.load();
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        account = emulator.account();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void clearJournal() {
        emulator.clearRequests();
    }

    @Test
    void everyOperationConformsToTheSpecs() {
        exerciseFlex();
        exerciseChat();
        exerciseConversations();
        exerciseServiceScopedConversations();
        exerciseWebhookConfiguration();
        exerciseTaskRouter();
        exerciseFlexInteractions();
        exerciseMediaContentService();
        exerciseErrors();

        assertEquals(List.of(), emulator.contractViolations());
        List<String> unexercised = new ArrayList<>();
        for (Route route : emulator.routes()) {
            boolean hit = emulator.requests().stream().anyMatch(r ->
                    r.method().equals(route.method()) && route.template().match(r.path()).isPresent());
            if (!hit) {
                unexercised.add(route.method() + " " + route.template());
            }
        }
        assertEquals(List.of(), unexercised, "operations the contract test does not exercise");
        for (RecordedRequest request : emulator.requests()) {
            assertTrue(contract.operation(request).isPresent(), request.toString());
        }
    }

    @Test
    void emulatorReportsABadRequestEndToEnd() {
        Clients.raw(emulator, "POST", "/conversations/v1/Conversations", Map.of("Colour", List.of("red")));
        List<String> violations = emulator.contractViolations();
        assertEquals(1, violations.size(), violations.toString());
        assertViolation(violations, "POST /conversations/v1/Conversations (CreateConversation): form parameter Colour is not declared");
    }

    // --- the scenario --------------------------------------------------------------------------------------

    private static void exerciseFlex() {
        WebChannels.creator(account.addressSid()).setChatFriendlyName("Chat").setCustomerFriendlyName("Ada")
                .setPreEngagementData("{\"q\":\"hi\"}").setUiVersion("2.9.0").create(client);
        String sid = WebChannel.creator(account.flexFlowSid(), "contract-bob", "Bob", "Chat with Bob")
                .setChatUniqueName("contract-bob").setPreEngagementData("{}").create(client).getSid();
        WebChannel.fetcher(sid).fetch(client);
        WebChannel.updater(sid).setChatStatus(WebChannel.ChatStatus.INACTIVE).setPostEngagementData("{}").update(client);
    }

    private static void exerciseChat() {
        String service = account.chatServiceSid();
        String sid = WebChannel.creator(account.flexFlowSid(), "contract-cy", "Cy", "Chat").create(client).getSid();
        list(Channel.reader(service).setPageSize(10L).read(client));
        Channel.fetcher(service, sid).fetch(client);
        Channel.updater(service, sid).setAttributes("{\"status\":\"INACTIVE\"}").setFriendlyName("Renamed")
                .setXTwilioWebhookEnabled(Channel.WebhookEnabledType.FALSE).update(client);
        Member member = list(Member.reader(service, sid).setIdentity(List.of("contract-cy")).read(client)).get(0);
        Member.fetcher(service, sid, member.getSid()).fetch(client);
        com.twilio.rest.chat.v2.service.channel.Message.creator(service, sid).setFrom("contract-cy").setBody("hi")
                .setAttributes("{}")
                .setXTwilioWebhookEnabled(com.twilio.rest.chat.v2.service.channel.Message.WebhookEnabledType.TRUE)
                .create(client);
        list(com.twilio.rest.chat.v2.service.channel.Message.reader(service, sid).read(client));
        list(com.twilio.rest.chat.v2.service.user.UserChannel.reader(service, "contract-cy").read(client));
    }

    private static void exerciseConversations() {
        String sid = Conversation.creator().setFriendlyName("c").setUniqueName("contract-c").setAttributes("{}")
                .setState(Conversation.State.ACTIVE).setTimersInactive("PT5M").setTimersClosed("PT1H")
                .setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE).create(client).getSid();
        list(Conversation.reader().setState(Conversation.State.ACTIVE).setPageSize(100L).read(client));
        Conversation.fetcher(sid).fetch(client);
        Conversation.updater(sid).setFriendlyName("c2").setAttributes("{\"a\":1}").setState(Conversation.State.INACTIVE)
                .update(client);
        String participant = Participant.creator(sid).setIdentity("contract-dora").setAttributes("{}")
                .setXTwilioWebhookEnabled(Participant.WebhookEnabledType.TRUE).create(client).getSid();
        Participant.creator(sid).setMessagingBindingAddress("+15558675310").setMessagingBindingProxyAddress("+15017122661")
                .create(client);
        list(Participant.reader(sid).read(client));
        Participant.fetcher(sid, participant).fetch(client);
        Participant.updater(sid, participant).setAttributes("{\"seat\":1}").setRoleSid(
                Participant.fetcher(sid, participant).fetch(client).getRoleSid()).setLastReadMessageIndex(0)
                .setXTwilioWebhookEnabled(Participant.WebhookEnabledType.TRUE).update(client);
        String message = Message.creator(sid).setAuthor("contract-dora").setBody("hi").setAttributes("{}")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client).getSid();
        list(Message.reader(sid).setOrder(Message.OrderType.DESC).setPageSize(1L).read(client));
        Message.fetcher(sid, message).fetch(client);
        list(ParticipantConversation.reader().setIdentity("contract-dora").read(client));
        list(ParticipantConversation.reader().setAddress("+15558675310").read(client));
        User user = User.creator("contract-eve").setFriendlyName("Eve").setAttributes("{}").create(client);
        User.fetcher(user.getSid()).fetch(client);
        User.updater("contract-eve").setFriendlyName("Eve 2").update(client);
        list(User.reader().read(client));
        Participant.deleter(sid, participant).delete(client);
        Conversation.deleter(sid).delete(client);
    }

    private static void exerciseServiceScopedConversations() {
        String service = account.conversationsServiceSid();
        String sid = com.twilio.rest.conversations.v1.service.Conversation.creator(service).setFriendlyName("s")
                .setTimersInactive("PT2M").create(client).getSid();
        list(com.twilio.rest.conversations.v1.service.Conversation.reader(service).setStartDate("2020-01-01")
                .setEndDate("2099-12-31").read(client));
        com.twilio.rest.conversations.v1.service.Conversation.fetcher(service, sid).fetch(client);
        com.twilio.rest.conversations.v1.service.Conversation.updater(service, sid).setUniqueName("contract-s").update(client);
        String participant = com.twilio.rest.conversations.v1.service.conversation.Participant.creator(service, sid)
                .setIdentity("contract-fred").create(client).getSid();
        list(com.twilio.rest.conversations.v1.service.conversation.Participant.reader(service, sid).read(client));
        com.twilio.rest.conversations.v1.service.conversation.Participant.fetcher(service, sid, participant).fetch(client);
        com.twilio.rest.conversations.v1.service.conversation.Participant.updater(service, sid, participant)
                .setAttributes("{}").update(client);
        String message = com.twilio.rest.conversations.v1.service.conversation.Message.creator(service, sid)
                .setAuthor("contract-fred").setBody("yo").create(client).getSid();
        list(com.twilio.rest.conversations.v1.service.conversation.Message.reader(service, sid).read(client));
        com.twilio.rest.conversations.v1.service.conversation.Message.fetcher(service, sid, message).fetch(client);
        list(com.twilio.rest.conversations.v1.service.ParticipantConversation.reader(service).setIdentity("contract-fred")
                .read(client));
        String user = com.twilio.rest.conversations.v1.service.User.creator(service, "contract-gil").create(client).getSid();
        com.twilio.rest.conversations.v1.service.User.fetcher(service, user).fetch(client);
        com.twilio.rest.conversations.v1.service.User.updater(service, user).setFriendlyName("Gil").update(client);
        list(com.twilio.rest.conversations.v1.service.User.reader(service).read(client));
        com.twilio.rest.conversations.v1.service.conversation.Participant.deleter(service, sid, participant).delete(client);
        com.twilio.rest.conversations.v1.service.Conversation.deleter(service, sid).delete(client);
    }

    /** Filters that no operation here fires, so nothing is sent to the example URLs. */
    private static void exerciseWebhookConfiguration() {
        String service = account.conversationsServiceSid();
        com.twilio.rest.conversations.v1.service.configuration.Webhook.updater(service)
                .setPreWebhookUrl("https://example.com/pre").setPostWebhookUrl("https://example.com/post")
                .setFilters(List.of("onUserUpdated", "onUserAdded")).setMethod("POST").update(client);
        com.twilio.rest.conversations.v1.service.configuration.Webhook.fetcher(service).fetch(client);
        com.twilio.rest.conversations.v1.configuration.Webhook.updater().setTarget(
                        com.twilio.rest.conversations.v1.configuration.Webhook.Target.WEBHOOK)
                .setMethod("GET").setFilters(List.of("onUserUpdated")).setPreWebhookUrl("https://example.com/pre")
                .setPostWebhookUrl("https://example.com/post").update(client);
        com.twilio.rest.conversations.v1.configuration.Webhook.fetcher().fetch(client);
        com.twilio.rest.conversations.v1.Configuration.updater().setDefaultChatServiceSid(service)
                .setDefaultMessagingServiceSid(Sids.random("MG")).setDefaultClosedTimer("P1D")
                .setDefaultInactiveTimer("PT30M").update(client);
        com.twilio.rest.conversations.v1.Configuration.fetcher().fetch(client);
    }

    /** An events filter that no operation here fires, so nothing is sent to the example URL. */
    private static void exerciseTaskRouter() {
        String ws = account.taskrouterWorkspaceSid();
        Workspace.fetcher(ws).fetch(client);
        Workspace.updater(ws).setFriendlyName("Flex Task Assignment").setEventCallbackUrl("https://example.com/events")
                .setEventsFilter("workflow.timeout").setDefaultActivitySid(emulator.activitySid("Offline"))
                .setTimeoutActivitySid(emulator.activitySid("Offline")).setMultiTaskEnabled(true)
                .setPrioritizeQueueOrder(Workspace.QueueOrder.FIFO).update(client);
        String worker = Worker.creator(ws, "contract-ann").setAttributes("{\"routing\":{\"skills\":\"web\"}}")
                .setActivitySid(emulator.activitySid("Available")).create(client).getSid();
        Worker.fetcher(ws, worker).fetch(client);
        Worker.updater(ws, worker).setFriendlyName("contract-ann-2").setAttributes("{\"team\":\"a\"}")
                .setActivitySid(emulator.activitySid("Offline")).update(client);
        list(Worker.reader(ws).setTargetWorkersExpression("team == 'a'").setAvailable("false")
                .setFriendlyName("contract-ann-2").setPageSize(20L).read(client));
        Task created = Task.creator(ws).setAttributes("{\"channelType\":\"web\"}").setTaskChannel("chat")
                .setPriority(1).setTimeout(3600).create(client);
        Task.creator(ws).setWorkflowSid(created.getWorkflowSid()).create(client);
        Task.fetcher(ws, created.getSid()).fetch(client);
        Task.updater(ws, created.getSid()).setAttributes("{}").setAssignmentStatus(Task.Status.CANCELED)
                .setReason("contract").update(client);
        list(Task.reader(ws).setAssignmentStatus(List.of("pending", "canceled")).setPageSize(10L).read(client));
    }

    /** Send to Flex for a conversation, then the two ways to end an interaction channel. */
    private static void exerciseFlexInteractions() {
        String ws = account.taskrouterWorkspaceSid();
        for (String status : List.of("closed", "inactive")) {
            String conversation = Conversation.creator().setFriendlyName("contract-" + status).create(client).getSid();
            Interaction interaction = Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                            "properties", Map.of("media_channel_sid", conversation)))
                    .setRouting(Map.of("properties", Map.of("workspace_sid", ws, "task_channel_unique_name", "chat",
                            "attributes", Map.of("channelType", "web", "from", "Ada"))))
                    .create(client);
            Interaction.fetcher(interaction.getSid()).fetch(client);
            InteractionChannel channel = list(InteractionChannel.reader(interaction.getSid()).setPageSize(10L).read(client)).get(0);
            InteractionChannel.fetcher(interaction.getSid(), channel.getSid()).fetch(client);
            InteractionChannelUpdater update = InteractionChannel.updater(interaction.getSid(), channel.getSid(),
                    InteractionChannel.UpdateChannelStatus.forValue(status));
            if (status.equals("inactive")) {
                update.setRouting(Map.of("status", "closed"));
            }
            update.update(client);
        }
        list(Task.reader(ws).setEvaluateTaskAttributes("channelType == \"web\" AND from == \"Ada\"")
                .setAssignmentStatus(List.of("canceled")).read(client));
    }

    /**
     * MCS, which the specs leave out: checked against its docs (upload, fetch, content, the temporary link), and
     * the Conversations message that attaches the file, which the specs do have.
     */
    private static void exerciseMediaContentService() {
        String service = account.conversationsServiceSid();
        String credentials = Clients.accountCredentials(emulator);
        byte[] file = "%PDF-1.4 contract".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String uploaded = Clients.upload(emulator, "/mcs.us1/v1/Services/" + service + "/Media?Filename=contract.pdf",
                "application/pdf", file, credentials).headers().firstValue("Content-Type").orElseThrow();
        assertTrue(uploaded.startsWith("application/json"), uploaded);
        String mediaSid = emulator.requests("POST", "/mcs\\.us1/.*").get(0).responseBody()
                .replaceAll("(?s).*\"sid\":\"(ME[0-9a-f]{32})\".*", "$1");
        String conversation = Conversation.creator().create(client).getSid();
        Message.creator(conversation).setAuthor("contract-media").setMediaSid(mediaSid).create(client);
        String path = "/mcs.us1/v1/Services/" + service + "/Media/" + mediaSid;
        assertEquals(200, Clients.get(emulator, path, credentials).statusCode());
        assertEquals(200, Clients.get(emulator, path + "/Content", credentials).statusCode());
        String link = (String) ((Map<?, ?>) emulator.media(mediaSid).orElseThrow().get("links")).get("content_direct_temporary");
        assertEquals(200, Clients.get(emulator, link, null).statusCode());
        assertEquals(403, Clients.get(emulator, link.replaceFirst("Signature=[\\w-]+", "Signature=forged"), null).statusCode());
        assertEquals(404, Clients.get(emulator, "/mcs.us1/v1/Services/" + service + "/Media/" + Sids.random("ME"), credentials)
                .statusCode());
    }

    /** Well-formed requests that Twilio answers with errors, whose bodies must have Twilio's error shape. */
    private static void exerciseErrors() {
        expectError(c -> Conversation.fetcher("CH" + "0".repeat(32)).fetch(c));
        expectError(c -> User.creator("contract-eve").create(c));
        String sid = Conversation.creator().create(client).getSid();
        emulator.closeConversation(sid);
        expectError(c -> Message.creator(sid).setBody("late").create(c));
        emulator.failNext("GET", "/conversations/v1/Conversations/" + sid, 429, 20429, 1);
        expectError(c -> Conversation.fetcher(sid).fetch(c));
        expectError(c -> WebChannels.creator(Sids.random("IG")).create(c));
        expectError(c -> Conversation.creator().create(Clients.sdk(emulator, account.accountSid(), "wrong")));
        String ws = account.taskrouterWorkspaceSid();
        expectError(c -> Worker.fetcher(ws, Sids.random("WK")).fetch(c));
        String task = Task.creator(ws).create(client).getSid();
        expectError(c -> Task.updater(ws, task).setAssignmentStatus(Task.Status.COMPLETED).update(c));
    }

    private static void expectError(Consumer<TwilioRestClient> call) {
        assertThrows(ApiException.class, () -> call.accept(client));
    }
}
