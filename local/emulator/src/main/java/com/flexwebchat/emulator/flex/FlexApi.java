package com.flexwebchat.emulator.flex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.chat.Chat;
import com.flexwebchat.emulator.conversations.Conversations;
import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Flex API ({@code https://flex-api.twilio.com}): the two ways a web chat starts, with the side effects Flex's
 * orchestration has.
 * <ul>
 *   <li>{@code POST /v2/WebChats} (Flex Conversations web chat): creates a conversation in Flex's conversation
 *       service with the pre-engagement data in its attributes, a User for the customer's identity and a
 *       participant for it, and answers the conversation SID and identity.</li>
 *   <li>{@code POST /v1/WebChannels} (legacy Flex Flow web chat): creates a Programmable Chat channel with
 *       {@code status: ACTIVE} and the pre-engagement data in its attributes, and a member for the identity;
 *       {@code GET}/{@code POST /v1/WebChannels/{Sid}} fetch it and end it ({@code ChatStatus=inactive}).</li>
 * </ul>
 *
 * @see <a href="https://www.twilio.com/docs/flex/developer/conversations/webchat">Flex web chat</a>
 */
final class FlexApi {

    private final EmulatorAccount account;
    private final Conversations conversations;
    private final Chat chat;
    private final Clock clock;
    private final Map<String, WebChannel> webChannels = new LinkedHashMap<>();

    FlexApi(EmulatorAccount account, Conversations conversations, Chat chat, Clock clock) {
        this.account = account;
        this.conversations = conversations;
        this.chat = chat;
        this.clock = clock;
    }

    void register(Router router) {
        router.add("POST", "/flex-api/v2/WebChats", this::createWebChat);
        router.add("POST", "/flex-api/v1/WebChannels", this::createWebChannel);
        router.add("GET", "/flex-api/v1/WebChannels/{Sid}", this::fetchWebChannel);
        router.add("POST", "/flex-api/v1/WebChannels/{Sid}", this::updateWebChannel);
    }

    // --- v2 WebChats ---------------------------------------------------------------------------------------

    private ApiResponse createWebChat(ApiRequest req) {
        String addressSid = req.requiredForm("AddressSid");
        if (!addressSid.equals(account.addressSid())) {
            throw TwilioError.notFound("/v1/Configuration/Addresses/" + addressSid);
        }
        JsonNode preEngagementData = preEngagementData(req);
        String customerName = req.form("CustomerFriendlyName");
        // Without an Identity, Flex makes up one for the guest.
        String identity = nonEmpty(req.form("Identity")) ? req.form("Identity") : UUID.randomUUID().toString();

        ObjectNode attributes = Json.MAPPER.createObjectNode();
        if (customerName != null) {
            attributes.put("from", customerName);
        }
        attributes.set("pre_engagement_data", preEngagementData);

        String conversationSid = conversations.startChat(req.form("ChatFriendlyName"), Json.write(attributes), identity,
                customerName);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversation_sid", conversationSid);
        body.put("identity", identity);
        return ApiResponse.created(body);
    }

    // --- v1 WebChannels ------------------------------------------------------------------------------------

    private ApiResponse createWebChannel(ApiRequest req) {
        String flexFlowSid = req.requiredForm("FlexFlowSid");
        String identity = req.requiredForm("Identity");
        String customerName = req.requiredForm("CustomerFriendlyName");
        String chatName = req.requiredForm("ChatFriendlyName");
        if (!flexFlowSid.equals(account.flexFlowSid())) {
            throw TwilioError.notFound("/v1/FlexFlows/" + flexFlowSid);
        }
        ObjectNode attributes = Json.MAPPER.createObjectNode();
        attributes.put("status", "ACTIVE");
        attributes.put("from", customerName);
        attributes.put("channel_type", "web");
        attributes.set("pre_engagement_data", preEngagementData(req));

        String channelSid = chat.startChat(chatName, req.form("ChatUniqueName"), Json.write(attributes), identity);
        WebChannel webChannel = new WebChannel(channelSid, account.accountSid(), flexFlowSid, clock.instant());
        webChannels.put(webChannel.sid, webChannel);
        return ApiResponse.created(webChannel.toResource());
    }

    private ApiResponse fetchWebChannel(ApiRequest req) {
        return ApiResponse.ok(webChannel(req.pathParam("Sid")).toResource());
    }

    /** {@code ChatStatus=inactive} ends the chat: the channel's attributes get {@code status: INACTIVE}. */
    private ApiResponse updateWebChannel(ApiRequest req) {
        WebChannel webChannel = webChannel(req.pathParam("Sid"));
        String chatStatus = req.form("ChatStatus");
        if (chatStatus != null && !chatStatus.equals("inactive")) {
            throw TwilioError.invalidParameter("ChatStatus", "must be inactive");
        }
        String postEngagementData = req.form("PostEngagementData");
        JsonNode postEngagement = postEngagementData == null ? null
                : Json.requireJsonParameter("PostEngagementData", postEngagementData);
        chat.attributes(webChannel.sid).ifPresent(current -> {
            ObjectNode attributes = attributesOf(current);
            if (chatStatus != null) {
                attributes.put("status", "INACTIVE");
            }
            if (postEngagement != null) {
                attributes.set("post_engagement_data", postEngagement);
            }
            chat.updateAttributes(webChannel.sid, Json.write(attributes));
        });
        webChannel.dateUpdated = clock.instant();
        return ApiResponse.ok(webChannel.toResource());
    }

    private WebChannel webChannel(String sid) {
        WebChannel webChannel = webChannels.get(sid);
        if (webChannel == null) {
            throw TwilioError.notFound("/v1/WebChannels/" + sid);
        }
        return webChannel;
    }

    /** {@code PreEngagementData}: a JSON string; an empty object when absent. */
    private static JsonNode preEngagementData(ApiRequest req) {
        String raw = req.form("PreEngagementData");
        return nonEmpty(raw) ? Json.requireJsonParameter("PreEngagementData", raw) : Json.MAPPER.createObjectNode();
    }

    private static ObjectNode attributesOf(String channelAttributes) {
        try {
            JsonNode parsed = Json.parse(channelAttributes);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException ignored) {
            // Attributes are validated on write; fall through to a fresh object.
        }
        return Json.MAPPER.createObjectNode();
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
