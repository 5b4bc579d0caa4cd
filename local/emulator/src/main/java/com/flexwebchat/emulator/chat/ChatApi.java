package com.flexwebchat.emulator.chat;

import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Paging;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.util.ArrayList;
import java.util.List;

/**
 * Programmable Chat v2 ({@code https://chat.twilio.com/v2}): the channel and member operations legacy Flex web
 * chat needs.
 *
 * @see <a href="https://www.twilio.com/docs/chat/rest/channel-resource">Channel resource</a>
 */
final class ChatApi {

    private static final String CHANNELS = "/chat/v2/Services/{ServiceSid}/Channels";
    private static final String CHANNEL = CHANNELS + "/{Sid}";
    private static final String MEMBERS = "/chat/v2/Services/{ServiceSid}/Channels/{ChannelSid}/Members";
    private static final String MESSAGES = "/chat/v2/Services/{ServiceSid}/Channels/{ChannelSid}/Messages";
    private static final String USER_CHANNELS = "/chat/v2/Services/{ServiceSid}/Users/{UserSid}/Channels";
    private static final int MAX_PAGE_SIZE = 100;

    private final ChatStore store;

    ChatApi(ChatStore store) {
        this.store = store;
    }

    void register(Router router) {
        router.add("GET", CHANNELS, this::listChannels);
        router.add("GET", CHANNEL, this::fetchChannel);
        router.add("POST", CHANNEL, this::updateChannel);
        router.add("GET", MEMBERS, this::listMembers);
        router.add("GET", MEMBERS + "/{Sid}", this::fetchMember);
        router.add("POST", MESSAGES, this::createMessage);
        router.add("GET", MESSAGES, this::listMessages);
        router.add("GET", USER_CHANNELS, this::listUserChannels);
    }

    /** {@code From} defaults to {@code system}, as Chat documents; {@code X-Twilio-Webhook-Enabled} is only recorded. */
    private ApiResponse createMessage(ApiRequest req) {
        ChatChannel channel = channel(req, req.pathParam("ChannelSid"));
        String attributes = req.form("Attributes");
        if (attributes != null) {
            Json.requireJsonParameter("Attributes", attributes);
        }
        String from = req.hasForm("From") ? req.form("From") : "system";
        ChatMessage message = channel.addMessage(from, req.form("Body"), attributes == null ? "{}" : attributes, store.now());
        channel.dateUpdated = store.now();
        return ApiResponse.created(message.toResource());
    }

    /** {@code Order}: {@code asc} (the default, oldest first) or {@code desc}, as Conversations' messages list. */
    private ApiResponse listMessages(ApiRequest req) {
        ChatChannel channel = channel(req, req.pathParam("ChannelSid"));
        String order = req.query("Order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw TwilioError.invalidParameter("Order", "must be asc or desc");
        }
        List<ChatMessage> messages = new java.util.ArrayList<>(channel.messages());
        if ("desc".equals(order)) {
            java.util.Collections.reverse(messages);
        }
        return ApiResponse.ok(Paging.page("messages", channel.url() + "/Messages", List.of("Order"), MAX_PAGE_SIZE,
                req, messages, ChatMessage::toResource));
    }

    /** The channels a user (by SID or identity) belongs to: {@code chat.v2.service.user.user_channel}. */
    private ApiResponse listUserChannels(ApiRequest req) {
        String serviceSid = req.pathParam("ServiceSid");
        if (!store.hasService(serviceSid)) {
            throw TwilioError.notFound(req.resource());
        }
        String user = req.pathParam("UserSid");
        String url = TwilioUrls.CHAT + "/v2/Services/" + serviceSid + "/Users/" + user + "/Channels";
        return ApiResponse.ok(Paging.page("channels", url, List.of(), MAX_PAGE_SIZE, req,
                store.memberships(serviceSid, user), member -> userChannel(member, url)));
    }

    private java.util.Map<String, Object> userChannel(ChatMember member, String listUrl) {
        ChatChannel channel = member.channel;
        java.util.Map<String, Object> links = new java.util.LinkedHashMap<>();
        links.put("channel", channel.url());
        links.put("member", channel.url() + "/Members/" + member.sid);
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("account_sid", channel.accountSid);
        r.put("service_sid", channel.serviceSid);
        r.put("channel_sid", channel.sid);
        r.put("user_sid", store.userSid(channel.serviceSid, member.identity));
        r.put("member_sid", member.sid);
        r.put("status", "joined");
        r.put("last_consumed_message_index", null);
        r.put("unread_messages_count", null);
        r.put("links", links);
        r.put("url", listUrl + "/" + channel.sid);
        r.put("notification_level", "default");
        return r;
    }

    private ApiResponse listChannels(ApiRequest req) {
        String serviceSid = req.pathParam("ServiceSid");
        if (!store.hasService(serviceSid)) {
            throw TwilioError.notFound(req.resource());
        }
        return ApiResponse.ok(Paging.page("channels", TwilioUrls.CHAT + "/v2/Services/" + serviceSid + "/Channels",
                List.of("Type"), MAX_PAGE_SIZE, req, store.channels(serviceSid), ChatChannel::toResource));
    }

    private ApiResponse fetchChannel(ApiRequest req) {
        return ApiResponse.ok(channel(req, req.pathParam("Sid")).toResource());
    }

    /** Updates friendly name, unique name and attributes; {@code X-Twilio-Webhook-Enabled} is only recorded. */
    private ApiResponse updateChannel(ApiRequest req) {
        ChatChannel channel = channel(req, req.pathParam("Sid"));
        String attributes = req.form("Attributes");
        if (attributes != null) {
            Json.requireJsonParameter("Attributes", attributes);
        }
        if (req.hasForm("UniqueName")) {
            store.rename(channel, req.form("UniqueName"));
        }
        if (req.hasForm("FriendlyName")) {
            channel.friendlyName = req.form("FriendlyName");
        }
        if (attributes != null) {
            channel.attributes = attributes;
        }
        if (req.hasForm("CreatedBy")) {
            channel.createdBy = req.form("CreatedBy");
        }
        channel.dateUpdated = store.now();
        return ApiResponse.ok(channel.toResource());
    }

    private ApiResponse listMembers(ApiRequest req) {
        ChatChannel channel = channel(req, req.pathParam("ChannelSid"));
        List<String> identities = req.queryValues("Identity");
        List<ChatMember> members = new ArrayList<>();
        for (ChatMember member : channel.members()) {
            if (identities.isEmpty() || identities.contains(member.identity)) {
                members.add(member);
            }
        }
        return ApiResponse.ok(Paging.page("members", channel.url() + "/Members", List.of("Identity"), MAX_PAGE_SIZE,
                req, members, ChatMember::toResource));
    }

    private ApiResponse fetchMember(ApiRequest req) {
        ChatChannel channel = channel(req, req.pathParam("ChannelSid"));
        return ApiResponse.ok(channel.member(req.pathParam("Sid"))
                .orElseThrow(() -> TwilioError.notFound(req.resource()))
                .toResource());
    }

    private ChatChannel channel(ApiRequest req, String sidOrUniqueName) {
        String serviceSid = req.pathParam("ServiceSid");
        if (!store.hasService(serviceSid)) {
            throw TwilioError.notFound(req.resource());
        }
        return store.find(serviceSid, sidOrUniqueName).orElseThrow(() -> TwilioError.notFound(req.resource()));
    }
}
