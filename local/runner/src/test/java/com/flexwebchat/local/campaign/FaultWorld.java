package com.flexwebchat.local.campaign;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.agentended.AgentEndedHandler;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.standins.LocalSes;
import com.flexwebchat.studio.StudioWebhookHandler;
import com.flexwebchat.token.RefreshTokenHandler;
import com.flexwebchat.webchannel.WebChannelHandler;
import com.twilio.rest.conversations.v1.ConfigurationUpdater;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelReader;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's world in the fault campaign: an emulator of its own (so the n-th call counts only
 * this worker's requests), the functions' real handlers built on it in both web chat modes with the
 * store as deployed (dynalite; the limits off, since the campaign starts hundreds of chats from one
 * address), the account wired as {@code ./run-local wire} wires it (the default closed timer), and
 * what Flex, Studio and the widget do before a route is called.
 */
final class FaultWorld implements AutoCloseable {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    /**
     * Every function's Lambda timeout in the campaign: shorter than template.yaml's, so an answer
     * that never comes costs two seconds rather than fifteen; what is under test is that every
     * route answers within its function's time, whatever that time is.
     */
    static final Duration LAMBDA_TIMEOUT = Duration.ofMillis(2_500);
    /** What {@code ./run-local wire} sets as the account's default closed timer: CLOSE_AFTER's default. */
    static final String DEFAULT_CLOSED_TIMER = "P1D";

    final TwilioEmulator emulator;
    final String name;
    private final Mode conversations;
    private final Mode legacy;
    private final AtomicInteger serial = new AtomicInteger();

    /** The functions of one web chat mode, on one runtime. */
    static final class Mode {
        final WebChatRuntime runtime;
        final WebChannelHandler webChannel;
        final RefreshTokenHandler token;
        final StudioWebhookHandler studio;
        final ConversationsWebhookHandler conversations;
        final AgentEndedHandler agentEnded;

        Mode(WebChatRuntime runtime) {
            this.runtime = runtime;
            this.webChannel = new WebChannelHandler(runtime);
            this.token = new RefreshTokenHandler(runtime);
            this.studio = new StudioWebhookHandler(runtime);
            this.conversations = new ConversationsWebhookHandler(runtime);
            this.agentEnded = new AgentEndedHandler(runtime);
        }
    }

    FaultWorld(String name) {
        this.name = name;
        this.emulator = TwilioEmulator.start(0);
        this.conversations = new Mode(EmulatedTwilio.runtime(environment(EmulatedTwilio.environment(emulator)), Clock.systemUTC()));
        this.legacy = new Mode(EmulatedTwilio.runtime(environment(EmulatedTwilio.legacyEnvironment(emulator)), Clock.systemUTC()));
        conversations.runtime.twilio().call("set the account's default closed timer", client ->
                new ConfigurationUpdater().setDefaultClosedTimer(DEFAULT_CLOSED_TIMER).update(client));
        emulator.clearRequests();
    }

    /** Where every world's transcripts go: one local Amazon SES for the campaign. */
    private static LocalSes ses;

    static synchronized LocalSes ses() {
        if (ses == null) {
            ses = LocalSes.start("us-east-1").acceptCredentials("local", "local").verify(FROM_EMAIL);
        }
        return ses;
    }

    static final String FROM_EMAIL = "transcripts@example.com";

    private static Map<String, String> environment(Map<String, String> env) {
        env.put("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());
        env.put("FROM_EMAIL", FROM_EMAIL);
        env.putAll(ses().environment());
        // Every case's chat has the same form address; the per-chat limit still holds (a chat per case).
        env.put("RATE_LIMIT_TRANSCRIPTS_PER_ADDRESS", "off");
        env.putAll(EmulatedTwilio.dynamo().environment());
        env.put("RATE_LIMIT_CHATS_PER_IP", "off");
        env.put("RATE_LIMIT_CHATS_PER_ACCOUNT", "off");
        env.put("RATE_LIMIT_RENEWALS_PER_VISITOR", "off");
        env.put("RATE_LIMIT_ENDINGS_PER_VISITOR", "off");
        return env;
    }

    Mode mode(boolean legacyMode) {
        return legacyMode ? legacy : conversations;
    }

    /** A name no other case of this world has used: forms, agents and events differ from case to case. */
    String unique(String prefix) {
        return prefix + "-" + name + "-" + serial.incrementAndGet();
    }

    @Override
    public void close() {
        emulator.close();
    }

    // --- requests, as API Gateway delivers them ----------------------------------------------------------------

    static APIGatewayV2HTTPResponse browser(WebChannelHandler handler, String path, String body) {
        return handler.handle(browserEvent(path, body), context("WebChannelFunction"));
    }

    static APIGatewayV2HTTPResponse browser(RefreshTokenHandler handler, String path, String body) {
        return handler.handle(browserEvent(path, body), context("TokenFunction"));
    }

    static APIGatewayV2HTTPResponse browser(ConversationsWebhookHandler handler, String path, String body) {
        return handler.handle(browserEvent(path, body), context("ConversationsWebhookFunction"));
    }

    private static APIGatewayV2HTTPEvent browserEvent(String path, String body) {
        return HttpApiEvents.request("POST", path, path, "", Map.of("origin", EmulatedTwilio.ORIGIN,
                "content-type", "application/json", "user-agent", "FaultCampaign/1.0"), body, false);
    }

    /** A webhook as Twilio sends it: signed form parameters, with an idempotency token of its own. */
    static APIGatewayV2HTTPEvent signed(String path, Map<String, List<String>> form) {
        Map<String, String> headers = new LinkedHashMap<>(SignedWebhooks.headers("application/x-www-form-urlencoded; charset=UTF-8",
                TwilioEmulator.signature(ACCOUNT.authToken(), SignedWebhooks.url(path), form)));
        headers.put("i-twilio-idempotency-token", UUID.randomUUID().toString());
        return HttpApiEvents.request("POST", path, path, "", headers, SignedWebhooks.encode(form), true);
    }

    static LocalContext context(String function) {
        return new LocalContext(function, LAMBDA_TIMEOUT);
    }

    // --- what happens before a route is called -----------------------------------------------------------------

    /** A chat the widget started through {@code /initWebchat}, with the visitor's token. */
    record Started(String chatSid, String identity, String token) {
    }

    Started startChat(boolean legacyMode) {
        return startChat(legacyMode, "");
    }

    /** @param moreFields more of the form, as JSON members: {@code ,"emailTranscript":true} */
    Started startChat(boolean legacyMode, String moreFields) {
        Mode mode = mode(legacyMode);
        String body = "{\"formData\":{\"friendlyName\":\"" + unique("Ada") + "\",\"email\":\"ada@example.com\",\"query\":\"Hi\""
                + moreFields + "}}";
        APIGatewayV2HTTPResponse response = mode.webChannel.handle(browserEvent("/initWebchat", body),
                new LocalContext("WebChannelFunction", Duration.ofSeconds(15)));
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("the fixture's chat did not start: " + response.getBody());
        }
        JsonNode answer = parse(response.getBody());
        String token = answer.get("token").asText();
        return new Started(answer.get("conversationSid").asText(), mode.runtime.tokenVerifier().verify(token), token);
    }

    /** A chat Studio has sent to Flex: its interaction, the interaction's channel and the task Flex made. */
    record SentToFlex(String interactionSid, String channelSid, String taskSid) {
    }

    /** Studio's Send to Flex, as {@code EmulatedTwilio.sendToFlex} plays it. */
    SentToFlex sendToFlex(String conversationSid) {
        return conversations.runtime.twilio().call("send to Flex", client -> {
            Interaction interaction = Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                            "properties", Map.of("media_channel_sid", conversationSid)))
                    .setRouting(Map.of("properties", Map.of(
                            "workspace_sid", ACCOUNT.taskrouterWorkspaceSid(),
                            "task_channel_unique_name", "chat",
                            "attributes", Map.of("channelType", "web", "name", "Ada"))))
                    .create(client);
            String taskSid = ((Map<?, ?>) ((Map<?, ?>) interaction.getRouting()).get("properties")).get("sid").toString();
            String channelSid = new InteractionChannelReader(interaction.getSid()).firstPage(client).getRecords().get(0).getSid();
            return new SentToFlex(interaction.getSid(), channelSid, taskSid);
        });
    }

    /** A Flex agent (a worker whose contact_uri is the identity its UI joins with), joined to the chat; its participant SID. */
    String agentJoins(String conversationSid, String identity) {
        ObjectNode attributes = Json.object().put("contact_uri", "client:" + identity)
                .put("full_name", "Samantha Real-Name").put("public_identity", "Sam");
        emulator.addWorker("Samantha " + identity, Json.write(attributes));
        return conversations.runtime.twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), conversationSid).setIdentity(identity).create(client)).getSid();
    }

    static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
