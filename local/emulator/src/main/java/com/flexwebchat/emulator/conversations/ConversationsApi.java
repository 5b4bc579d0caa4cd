package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Paging;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.mcs.Media;
import com.flexwebchat.emulator.mcs.MediaStore;
import com.flexwebchat.emulator.webhooks.ConversationWebhooks;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conversations v1 ({@code https://conversations.twilio.com/v1}): conversations, participants, messages, users and
 * participant conversations, in both the account-level form ({@code /v1/Conversations...}, acting on the default
 * conversation service, which here is Flex's) and the service-scoped form
 * ({@code /v1/Services/{ChatServiceSid}/Conversations...}).
 *
 * <p>Changes go through {@link ConversationActions}, which fires the webhooks Twilio fires for them: for REST
 * requests, only those sent with {@code X-Twilio-Webhook-Enabled: true}.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api">Conversations REST API</a>
 */
final class ConversationsApi {

    private static final String ACCOUNT_PREFIX = "/conversations/v1";
    private static final String SERVICE_PREFIX = "/conversations/v1/Services/{ChatServiceSid}";
    private static final int MAX_PAGE_SIZE = 100;
    /** Users and participant conversations are listed at most 50 per page, the rest 100. */
    private static final int SMALL_MAX_PAGE_SIZE = 50;
    /** Documented minimums: "Minimum value for this timer is 1 minute" / "... is 10 minutes". */
    static final Duration MIN_INACTIVE_TIMER = Duration.ofMinutes(1);
    static final Duration MIN_CLOSED_TIMER = Duration.ofMinutes(10);

    private final ConversationStore store;
    private final ConversationActions actions;
    private final MediaStore media;
    private final String defaultServiceSid;

    ConversationsApi(ConversationStore store, ConversationActions actions, MediaStore media, String defaultServiceSid) {
        this.store = store;
        this.actions = actions;
        this.media = media;
        this.defaultServiceSid = defaultServiceSid;
    }

    void register(Router router) {
        for (String p : List.of(ACCOUNT_PREFIX, SERVICE_PREFIX)) {
            router.add("POST", p + "/Conversations", this::createConversation);
            router.add("GET", p + "/Conversations", this::listConversations);
            router.add("GET", p + "/Conversations/{Sid}", this::fetchConversation);
            router.add("POST", p + "/Conversations/{Sid}", this::updateConversation);
            router.add("DELETE", p + "/Conversations/{Sid}", this::deleteConversation);
            router.add("POST", p + "/Conversations/{ConversationSid}/Participants", this::createParticipant);
            router.add("GET", p + "/Conversations/{ConversationSid}/Participants", this::listParticipants);
            router.add("GET", p + "/Conversations/{ConversationSid}/Participants/{Sid}", this::fetchParticipant);
            router.add("POST", p + "/Conversations/{ConversationSid}/Participants/{Sid}", this::updateParticipant);
            router.add("DELETE", p + "/Conversations/{ConversationSid}/Participants/{Sid}", this::deleteParticipant);
            router.add("POST", p + "/Conversations/{ConversationSid}/Messages", this::createMessage);
            router.add("GET", p + "/Conversations/{ConversationSid}/Messages", this::listMessages);
            router.add("GET", p + "/Conversations/{ConversationSid}/Messages/{Sid}", this::fetchMessage);
            router.add("POST", p + "/Users", this::createUser);
            router.add("GET", p + "/Users", this::listUsers);
            router.add("GET", p + "/Users/{Sid}", this::fetchUser);
            router.add("POST", p + "/Users/{Sid}", this::updateUser);
            router.add("GET", p + "/ParticipantConversations", this::listParticipantConversations);
        }
    }

    // --- conversations -------------------------------------------------------------------------------------

    private ApiResponse createConversation(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation.State state = state(req.form("State"));
        Conversation conversation = actions.createConversation(scope.serviceSid(), req.form("FriendlyName"),
                req.form("UniqueName"), jsonParameter(req, "Attributes"), state, inactiveTimer(req), closedTimer(req),
                ConversationWebhooks.Origin.rest(req));
        return ApiResponse.created(conversation.toResource(scope));
    }

    private ApiResponse listConversations(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation.State state = state(req.query("State"));
        Instant start = dateFilter(req.query("StartDate"), "StartDate", false);
        Instant end = dateFilter(req.query("EndDate"), "EndDate", true);
        List<Conversation> matching = new ArrayList<>();
        for (Conversation c : store.list(scope.serviceSid())) {
            boolean inState = state == null || c.state == state;
            boolean inRange = (start == null || !c.dateCreated.isBefore(start)) && (end == null || !c.dateCreated.isAfter(end));
            if (inState && inRange) {
                matching.add(c);
            }
        }
        if (start != null || end != null) {
            // "If this filter is used, the returned list is sorted by latest conversation creation date in descending order."
            matching.sort(Comparator.comparing((Conversation c) -> c.dateCreated).reversed());
        }
        return ApiResponse.ok(Paging.page("conversations", scope.base() + "/Conversations",
                List.of("StartDate", "EndDate", "State"), MAX_PAGE_SIZE, req, matching, c -> c.toResource(scope)));
    }

    private ApiResponse fetchConversation(ApiRequest req) {
        ConversationsScope scope = scope(req);
        return ApiResponse.ok(conversation(scope, req, "Sid").toResource(scope));
    }

    private ApiResponse updateConversation(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation conversation = conversation(scope, req, "Sid");
        Conversation.State state = state(req.form("State"));
        actions.updateConversation(conversation, new ConversationStore.ConversationUpdate(req.form("FriendlyName"),
                req.form("UniqueName"), jsonParameter(req, "Attributes"), state, inactiveTimer(req), closedTimer(req)),
                ConversationWebhooks.Origin.rest(req));
        return ApiResponse.ok(conversation.toResource(scope));
    }

    private ApiResponse deleteConversation(ApiRequest req) {
        actions.deleteConversation(conversation(scope(req), req, "Sid"), ConversationWebhooks.Origin.rest(req));
        return ApiResponse.noContent();
    }

    // --- participants --------------------------------------------------------------------------------------

    private ApiResponse createParticipant(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation conversation = conversation(scope, req, "ConversationSid");
        String identity = emptyToNull(req.form("Identity"));
        String address = emptyToNull(req.form("MessagingBinding.Address"));
        if (identity == null && address == null) {
            // Twilio requires one of the two; its exact error code for this case is undocumented.
            throw TwilioError.missingParameter("Identity");
        }
        Map<String, Object> binding = address == null ? null : messagingBinding(address, req.form("MessagingBinding.ProxyAddress"));
        Participant participant = actions.addParticipant(conversation, identity, binding, jsonParameter(req, "Attributes"),
                roleParameter(req, conversation), ConversationWebhooks.Origin.rest(req));
        return ApiResponse.created(participant.toResource(scope));
    }

    private ApiResponse listParticipants(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation conversation = conversation(scope, req, "ConversationSid");
        return ApiResponse.ok(Paging.page("participants", conversation.url(scope) + "/Participants", List.of(),
                MAX_PAGE_SIZE, req, new ArrayList<>(conversation.participants()), p -> p.toResource(scope)));
    }

    private ApiResponse fetchParticipant(ApiRequest req) {
        ConversationsScope scope = scope(req);
        return ApiResponse.ok(participant(scope, req).toResource(scope));
    }

    /** Attributes, role and read horizon; identity and bindings stay as created. */
    private ApiResponse updateParticipant(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Participant participant = participant(scope, req);
        String lastRead = req.form("LastReadMessageIndex");
        Integer lastReadIndex;
        try {
            lastReadIndex = lastRead == null || lastRead.isEmpty() ? null : Integer.valueOf(lastRead);
        } catch (NumberFormatException e) {
            throw TwilioError.invalidParameter("LastReadMessageIndex", "not an integer: " + lastRead);
        }
        actions.updateParticipant(participant, new ConversationStore.ParticipantUpdate(jsonParameter(req, "Attributes"),
                roleParameter(req, participant.conversation), lastReadIndex, emptyToNull(req.form("LastReadTimestamp"))),
                ConversationWebhooks.Origin.rest(req));
        return ApiResponse.ok(participant.toResource(scope));
    }

    private ApiResponse deleteParticipant(ApiRequest req) {
        actions.removeParticipant(participant(scope(req), req), ConversationWebhooks.Origin.rest(req));
        return ApiResponse.noContent();
    }

    // --- messages ------------------------------------------------------------------------------------------

    private ApiResponse createMessage(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation conversation = conversation(scope, req, "ConversationSid");
        String body = req.form("Body");
        if (body == null && req.form("MediaSid") == null && req.form("ContentSid") == null) {
            // A message needs a body, media or content template; Twilio's exact code here is undocumented.
            throw TwilioError.missingParameter("Body");
        }
        // "The channel specific identifier of the message's author. Defaults to `system`."
        String author = Optional.ofNullable(req.form("Author")).orElse("system");
        ConversationMessage message = actions.addMessage(conversation, author, body, jsonParameter(req, "Attributes"),
                mediaParameter(req, scope), ConversationWebhooks.Origin.rest(req));
        return ApiResponse.created(message.toResource(scope));
    }

    /**
     * {@code MediaSid}: "The Media SID to be attached to the new Message", a file uploaded to the service's Media
     * Content Service (https://www.twilio.com/docs/conversations/media-support-conversations); "if [ContentSid] is
     * set, `Body` and `MediaSid` parameters are ignored". TODO(uncertain): Twilio's answer for a SID the service's
     * MCS doesn't have is undocumented (400 / 20001 here).
     */
    private List<Media> mediaParameter(ApiRequest req, ConversationsScope scope) {
        String mediaSid = emptyToNull(req.form("MediaSid"));
        if (mediaSid == null || req.form("ContentSid") != null) {
            return List.of();
        }
        return List.of(media.find(scope.serviceSid(), mediaSid).orElseThrow(() -> TwilioError.invalidParameter("MediaSid",
                "no media " + mediaSid + " in service " + scope.serviceSid())));
    }

    private ApiResponse listMessages(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation conversation = conversation(scope, req, "ConversationSid");
        String order = req.query("Order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw TwilioError.invalidParameter("Order", "must be asc or desc");
        }
        List<ConversationMessage> messages = new ArrayList<>(conversation.messages());
        if ("desc".equals(order)) {
            Collections.reverse(messages);
        }
        return ApiResponse.ok(Paging.page("messages", conversation.url(scope) + "/Messages", List.of("Order"),
                MAX_PAGE_SIZE, req, messages, m -> m.toResource(scope)));
    }

    private ApiResponse fetchMessage(ApiRequest req) {
        ConversationsScope scope = scope(req);
        Conversation conversation = conversation(scope, req, "ConversationSid");
        ConversationMessage message = conversation.message(req.pathParam("Sid"))
                .orElseThrow(() -> TwilioError.notFound(req.resource()));
        return ApiResponse.ok(message.toResource(scope));
    }

    // --- users ---------------------------------------------------------------------------------------------

    private ApiResponse createUser(ApiRequest req) {
        ConversationsScope scope = scope(req);
        ConversationUser user = store.createUser(scope.serviceSid(), req.requiredForm("Identity"),
                req.form("FriendlyName"), jsonParameter(req, "Attributes"));
        return ApiResponse.created(user.toResource(scope));
    }

    private ApiResponse listUsers(ApiRequest req) {
        ConversationsScope scope = scope(req);
        return ApiResponse.ok(Paging.page("users", scope.base() + "/Users", List.of(), SMALL_MAX_PAGE_SIZE, req,
                store.findUsers(scope.serviceSid()), u -> u.toResource(scope)));
    }

    private ApiResponse fetchUser(ApiRequest req) {
        ConversationsScope scope = scope(req);
        return ApiResponse.ok(user(scope, req).toResource(scope));
    }

    private ApiResponse updateUser(ApiRequest req) {
        ConversationsScope scope = scope(req);
        ConversationUser user = user(scope, req);
        String attributes = jsonParameter(req, "Attributes");
        if (req.hasForm("FriendlyName")) {
            user.friendlyName = req.form("FriendlyName");
        }
        if (attributes != null) {
            user.attributes = attributes;
        }
        store.touch(user);
        return ApiResponse.ok(user.toResource(scope));
    }

    // --- participant conversations -------------------------------------------------------------------------

    /** "Retrieve a list of all Conversations that this Participant belongs to by identity or by address." */
    private ApiResponse listParticipantConversations(ApiRequest req) {
        ConversationsScope scope = scope(req);
        String identity = req.query("Identity");
        String address = req.query("Address");
        if (identity == null && address == null) {
            throw TwilioError.missingParameter("Identity");
        }
        List<Participant> participations = store.participations(scope.serviceSid(), identity, address);
        return ApiResponse.ok(Paging.page("conversations", scope.base() + "/ParticipantConversations",
                List.of("Identity", "Address"), SMALL_MAX_PAGE_SIZE, req, participations,
                p -> participantConversation(scope, p)));
    }

    private Map<String, Object> participantConversation(ConversationsScope scope, Participant p) {
        Conversation c = p.conversation;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", c.accountSid);
        r.put("chat_service_sid", c.serviceSid);
        r.put("participant_sid", p.sid);
        r.put("participant_user_sid", p.identity == null ? null
                : store.findUser(c.serviceSid, p.identity).map(u -> u.sid).orElse(null));
        r.put("participant_identity", p.identity);
        r.put("participant_messaging_binding", p.messagingBinding);
        r.put("conversation_sid", c.sid);
        r.put("conversation_unique_name", c.uniqueName);
        r.put("conversation_friendly_name", c.friendlyName);
        r.put("conversation_attributes", c.attributes);
        r.put("conversation_date_created", Timestamps.format(c.dateCreated));
        r.put("conversation_date_updated", Timestamps.format(c.dateUpdated));
        // Conversations created through the REST API are attributed to "system".
        r.put("conversation_created_by", "system");
        r.put("conversation_state", c.state.wire());
        r.put("conversation_timers", c.timers());
        r.put("links", Map.of("participant", p.url(scope), "conversation", c.url(scope)));
        return r;
    }

    // --- lookups and parameter parsing ---------------------------------------------------------------------

    private ConversationsScope scope(ApiRequest req) {
        String serviceSid = req.pathParam("ChatServiceSid");
        if (serviceSid == null) {
            return ConversationsScope.account(defaultServiceSid);
        }
        if (!store.hasService(serviceSid)) {
            throw TwilioError.notFound(req.resource());
        }
        return ConversationsScope.service(serviceSid);
    }

    /** The conversation named (by SID or unique name) in path parameter {@code param}. */
    private Conversation conversation(ConversationsScope scope, ApiRequest req, String param) {
        return store.find(scope.serviceSid(), req.pathParam(param)).orElseThrow(() -> TwilioError.notFound(req.resource()));
    }

    private Participant participant(ConversationsScope scope, ApiRequest req) {
        Conversation conversation = conversation(scope, req, "ConversationSid");
        return conversation.participant(req.pathParam("Sid")).orElseThrow(() -> TwilioError.notFound(req.resource()));
    }

    private ConversationUser user(ConversationsScope scope, ApiRequest req) {
        return store.findUser(scope.serviceSid(), req.pathParam("Sid"))
                .orElseThrow(() -> TwilioError.notFound(req.resource()));
    }

    /**
     * {@code RoleSid}: "a conversation-level Role"; the emulator knows the service's default ones, channel user and
     * channel admin. TODO(uncertain): Twilio's code for another role is undocumented (20001 here).
     */
    private static String roleParameter(ApiRequest req, Conversation conversation) {
        String roleSid = emptyToNull(req.form("RoleSid"));
        if (roleSid != null && !Roles.isConversationRole(conversation.serviceSid, roleSid)) {
            throw TwilioError.invalidParameter("RoleSid", "no conversation-level role " + roleSid + " in service "
                    + conversation.serviceSid);
        }
        return roleSid;
    }

    private static Map<String, Object> messagingBinding(String address, String proxyAddress) {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("type", address.startsWith("whatsapp:") ? "whatsapp" : "sms");
        binding.put("address", address);
        binding.put("proxy_address", proxyAddress);
        return binding;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A parameter holding JSON (e.g. {@code Attributes}); returned as sent, {@code null} when absent. */
    private static String jsonParameter(ApiRequest req, String name) {
        String value = req.form(name);
        if (value != null) {
            Json.requireJsonParameter(name, value);
        }
        return value;
    }

    /** {@code State}: one of {@code active}, {@code inactive}, {@code closed}; {@code null} when absent. */
    private static Conversation.State state(String raw) {
        if (raw == null) {
            return null;
        }
        for (Conversation.State state : Conversation.State.values()) {
            if (state.wire().equals(raw)) {
                return state;
            }
        }
        throw TwilioError.invalidParameter("State", "must be one of active, inactive, closed");
    }

    private static Duration inactiveTimer(ApiRequest req) {
        return timer(req.form("Timers.Inactive"), "Timers.Inactive", MIN_INACTIVE_TIMER);
    }

    private static Duration closedTimer(ApiRequest req) {
        return timer(req.form("Timers.Closed"), "Timers.Closed", MIN_CLOSED_TIMER);
    }

    /**
     * Parameter {@code name}'s value {@code raw}, an ISO 8601 duration such as {@code PT10M}, or {@code null} when
     * absent or empty. Twilio's code for a bad value is undocumented (20001 here).
     */
    static Duration timer(String raw, String name, Duration minimum) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Duration duration;
        try {
            duration = Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw TwilioError.invalidParameter(name, "not an ISO 8601 duration: " + raw);
        }
        if (duration.compareTo(minimum) < 0) {
            throw TwilioError.invalidParameter(name, "the minimum is " + minimum);
        }
        return duration;
    }

    /** {@code StartDate}/{@code EndDate}: a date (start or end of that UTC day) or a full ISO 8601 date-time. */
    private static Instant dateFilter(String raw, String name, boolean endOfDay) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            if (raw.length() == 10) {
                LocalDate day = LocalDate.parse(raw);
                return endOfDay ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1)
                        : day.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(raw);
        } catch (DateTimeException e) {
            throw TwilioError.invalidParameter(name, "not an ISO 8601 date: " + raw);
        }
    }
}
