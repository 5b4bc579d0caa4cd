package com.flexwebchat.local.campaign;

import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.local.campaign.FaultScenario.Prepared;
import com.flexwebchat.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every route and webhook, each in the case that makes the most Twilio calls (and a few cases more
 * where another branch makes other calls), in Flex Conversations mode and, where the route has a
 * legacy path, in legacy mode. A new route belongs here; a new Twilio call in a route is found by
 * the campaign on its own (it enumerates what a clean run sends).
 */
final class FaultScenarios {

    static final String STUDIO = "/webhooks/studio";
    static final String CONVERSATIONS = "/webhooks/conversations";
    static final String TASKROUTER = "/webhooks/taskrouter";

    private FaultScenarios() {
    }

    static List<FaultScenario> all() {
        List<FaultScenario> all = new ArrayList<>();
        for (boolean legacy : new boolean[] {false, true}) {
            all.add(new FaultScenario("/initWebchat", legacy, world -> initWebchat(world, legacy, "Hi"), Set.of()));
            if (!legacy) {
                all.add(new FaultScenario("/initWebchat without a question", false, world -> initWebchat(world, false, null), Set.of()));
            }
            all.add(new FaultScenario("/refreshToken", legacy, world -> refreshToken(world, legacy), Set.of()));
            all.add(new FaultScenario("/endChat", legacy, world -> endChat(world, legacy), Set.of()));
            // An unknown chat is 404 conversation_not_found, which Studio's flow branches on (README).
            all.add(new FaultScenario(STUDIO, legacy, world -> studio(world, legacy), Set.of("404 conversation_not_found")));
            // A chat Twilio says it does not have is left alone: 204 (README, /webhooks/taskrouter).
            all.add(new FaultScenario(TASKROUTER + " task.wrapup", legacy, world -> wrapup(world, legacy, false), Set.of()));
        }
        all.add(new FaultScenario(TASKROUTER + " task.wrapup during a transfer", false, world -> wrapup(world, false, true), Set.of()));
        all.add(new FaultScenario(CONVERSATIONS + " onMessageAdd", false, world -> messageAdd(world, false), Set.of()));
        // When Twilio cannot say whether the author is an agent, the visitor's limit applies (README, MessageScreening).
        all.add(new FaultScenario(CONVERSATIONS + " onMessageAdd, an agent's long message", false, world -> messageAdd(world, true),
                Set.of("400 message_too_long")));
        all.add(new FaultScenario(CONVERSATIONS + " onParticipantAdded", false, FaultScenarios::participantAdded, Set.of()));
        all.add(new FaultScenario("/email", false, FaultScenarios::email, Set.of()));
        all.add(new FaultScenario(CONVERSATIONS + " onConversationStateUpdated, a transcript asked for", false,
                FaultScenarios::stateUpdated, Set.of()));
        return all;
    }

    // --- the browser routes ------------------------------------------------------------------------------------

    private static Prepared initWebchat(FaultWorld world, boolean legacy, String query) {
        String form = "{\"formData\":{\"friendlyName\":\"" + world.unique("Ada") + "\",\"email\":\"ada@example.com\""
                + (query == null ? "" : ",\"query\":\"" + query + "\"") + "}}";
        return Prepared.of(() -> FaultWorld.browser(world.mode(legacy).webChannel, "/initWebchat", form));
    }

    private static Prepared refreshToken(FaultWorld world, boolean legacy) {
        FaultWorld.Started chat = world.startChat(legacy);
        return Prepared.of(() -> FaultWorld.browser(world.mode(legacy).token, "/refreshToken", token(chat)));
    }

    private static Prepared endChat(FaultWorld world, boolean legacy) {
        FaultWorld.Started chat = world.startChat(legacy);
        if (!legacy) {
            world.sendToFlex(chat.chatSid());
        }
        return new Prepared(() -> FaultWorld.browser(world.mode(legacy).webChannel, "/endChat", token(chat)),
                w -> ended(w, chat.chatSid(), legacy));
    }

    private static String token(FaultWorld.Started chat) {
        return "{\"token\":\"" + chat.token() + "\"}";
    }

    // --- the webhooks ------------------------------------------------------------------------------------------

    private static Prepared studio(FaultWorld world, boolean legacy) {
        FaultWorld.Started chat = world.startChat(legacy);
        Map<String, List<String>> form = SignedWebhooks.form(legacy ? "ChannelSid" : "ConversationSid", chat.chatSid(),
                "FlowSid", "FW" + "0".repeat(32));
        return Prepared.of(() -> world.mode(legacy).studio.handle(FaultWorld.signed(STUDIO, form),
                FaultWorld.context("StudioWebhookFunction")));
    }

    private static Prepared wrapup(FaultWorld world, boolean legacy, boolean duringTransfer) {
        FaultWorld.Started chat = world.startChat(legacy);
        var attributes = Json.object().put("channelType", "web").put("name", "Ada");
        attributes.put(legacy ? "channelSid" : "conversationSid", chat.chatSid());
        if (duringTransfer) {
            // The interaction's channel is still active: the agent left a chat that goes on.
            FaultWorld.SentToFlex flex = world.sendToFlex(chat.chatSid());
            attributes.put("flexInteractionSid", flex.interactionSid()).put("flexInteractionChannelSid", flex.channelSid());
        }
        String taskSid = "WT" + sid32(world.unique("task"));
        Map<String, List<String>> event = SignedWebhooks.form(
                "Sid", "EV" + sid32(world.unique("event")),
                "AccountSid", FaultWorld.ACCOUNT.accountSid(),
                "WorkspaceSid", FaultWorld.ACCOUNT.taskrouterWorkspaceSid(),
                "EventType", "task.wrapup",
                "ResourceType", "Task",
                "ResourceSid", taskSid,
                "TaskSid", taskSid,
                "TaskAttributes", Json.write(attributes),
                "TaskAssignmentStatus", "wrapping",
                "TaskChannelUniqueName", "chat");
        return new Prepared(() -> world.mode(legacy).agentEnded.handle(FaultWorld.signed(TASKROUTER, event),
                FaultWorld.context("AgentEndedFunction")),
                w -> duringTransfer ? List.of() : ended(w, chat.chatSid(), legacy));
    }

    private static Prepared messageAdd(FaultWorld world, boolean agentsLongMessage) {
        FaultWorld.Started chat = world.startChat(false);
        String author = chat.identity();
        String body = "My card is 4111 1111 1111 1111";
        if (agentsLongMessage) {
            author = world.unique("agent");
            world.agentJoins(chat.chatSid(), author);
            body = "x".repeat(2_500);
        }
        Map<String, List<String>> event = SignedWebhooks.form("AccountSid", FaultWorld.ACCOUNT.accountSid(),
                "ChatServiceSid", FaultWorld.ACCOUNT.conversationsServiceSid(), "EventType", "onMessageAdd",
                "Source", "SDK", "ClientIdentity", author, "ConversationSid", chat.chatSid(), "Body", body,
                "Author", author, "Attributes", "{}");
        return Prepared.of(() -> world.mode(false).conversations.handle(FaultWorld.signed(CONVERSATIONS, event),
                FaultWorld.context("ConversationsWebhookFunction")));
    }

    private static Prepared participantAdded(FaultWorld world) {
        FaultWorld.Started chat = world.startChat(false);
        String agent = world.unique("agent");
        String participantSid = world.agentJoins(chat.chatSid(), agent);
        Map<String, List<String>> event = SignedWebhooks.form("AccountSid", FaultWorld.ACCOUNT.accountSid(),
                "ChatServiceSid", FaultWorld.ACCOUNT.conversationsServiceSid(), "EventType", "onParticipantAdded",
                "Source", "API", "ConversationSid", chat.chatSid(), "ParticipantSid", participantSid,
                "DateCreated", "2026-11-21T10:00:00Z", "Identity", agent, "RoleSid", "RL" + "0".repeat(32),
                "Attributes", "{}");
        return Prepared.of(() -> world.mode(false).conversations.handle(FaultWorld.signed(CONVERSATIONS, event),
                FaultWorld.context("ConversationsWebhookFunction")));
    }

    // --- transcripts --------------------------------------------------------------------------------------------

    /** A chat with an agent's message and a file of the visitor's: every read a transcript makes. */
    private static String chatWithHistory(FaultWorld world, FaultWorld.Started chat) {
        String agent = world.unique("agent");
        world.agentJoins(chat.chatSid(), agent);
        String line = world.unique("Hello from Sam");
        world.emulator.addMessageFromSdk(chat.chatSid(), agent, line, null);
        world.emulator.postMedia(chat.chatSid(), chat.identity(), "photo.png", "image/png", new byte[] {1, 2, 3});
        world.emulator.clearRequests();
        return line;
    }

    /** A success sent the chat's transcript: an email that has the chat's own line. */
    private static List<String> transcriptSent(String line) {
        return FaultWorld.ses().captured().stream().anyMatch(email -> email.text().contains(line))
                ? List.of() : List.of("answered success, but no transcript with \"" + line + "\" was sent");
    }

    private static Prepared email(FaultWorld world) {
        FaultWorld.Started chat = world.startChat(false);
        String line = chatWithHistory(world, chat);
        return new Prepared(() -> FaultWorld.browser(world.mode(false).conversations, "/email", token(chat)),
                w -> transcriptSent(line));
    }

    private static Prepared stateUpdated(FaultWorld world) {
        FaultWorld.Started chat = world.startChat(false, ",\"emailTranscript\":true");
        String line = chatWithHistory(world, chat);
        world.emulator.closeConversation(chat.chatSid());
        world.emulator.clearRequests();
        Map<String, List<String>> event = SignedWebhooks.form("AccountSid", FaultWorld.ACCOUNT.accountSid(),
                "ChatServiceSid", FaultWorld.ACCOUNT.conversationsServiceSid(), "EventType", "onConversationStateUpdated",
                "Source", "API", "ConversationSid", chat.chatSid(), "StateFrom", "active", "StateTo", "closed",
                "StateUpdated", "2026-11-30T10:00:00.000Z", "Reason", "API");
        return new Prepared(() -> world.mode(false).conversations.handle(FaultWorld.signed(CONVERSATIONS, event),
                FaultWorld.context("ConversationsWebhookFunction")), w -> transcriptSent(line));
    }

    // --- what must hold after a success ------------------------------------------------------------------------

    /** An ending that answered success left the chat ended at Twilio. */
    static List<String> ended(FaultWorld world, String chatSid, boolean legacy) {
        if (legacy) {
            Optional<Map<String, Object>> channel = world.emulator.chatChannel(chatSid);
            String attributes = channel.map(c -> String.valueOf(c.get("attributes"))).orElse("{}");
            return FaultWorld.parse(attributes).path("status").asText("").equalsIgnoreCase("INACTIVE")
                    ? List.of() : List.of("answered success, but the chat channel " + chatSid + " is not INACTIVE");
        }
        Object state = world.emulator.conversation(chatSid).map(c -> c.get("state")).orElse(null);
        return "closed".equals(state) ? List.of() : List.of("answered success, but the conversation " + chatSid + " is " + state);
    }

    /** 32 hex digits derived from a name: SIDs unique per case. */
    private static String sid32(String name) {
        String hex = Integer.toHexString(name.hashCode()) + Long.toHexString(System.nanoTime());
        return (hex + "0".repeat(32)).substring(0, 32);
    }
}
