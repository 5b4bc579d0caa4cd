package com.flexwebchat.emulator.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.FormCodec;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.StateLock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conversations webhooks as Twilio fires them (https://www.twilio.com/docs/conversations/conversations-webhooks):
 * the configuration per service and for the account, which one applies, and sending pre- and post-event webhooks
 * with the parameters every event carries.
 * <ul>
 *   <li>"If configured, service-scoped webhooks will override your global webhook settings such that only the
 *       service-scoped hooks will fire" (Per-Service Webhook resource).</li>
 *   <li>Only events named in the filters fire.</li>
 *   <li>"Only actions from SDK-driven clients ... will cause webhooks ... you can add a header
 *       {@code X-Twilio-Webhook-Enabled=true} to any such request" for REST-originated ones ({@link Origin}).</li>
 *   <li>A pre-event webhook is sent synchronously before the change, with the state lock released (the receiver
 *       may call back into the API); see {@link PreEventAnswer} for how its answer is read.</li>
 * </ul>
 */
public final class ConversationWebhooks {

    /** Who made a change, which decides whether it fires webhooks and what {@code Source} says. */
    public record Origin(String source, String clientIdentity, boolean firesWebhooks) {

        /**
         * A REST request: webhooks only with {@code X-Twilio-Webhook-Enabled: true}; {@code Source=API}.
         * TODO(uncertain): the docs say such requests "will yield webhooks to the configured Post-Event webhook
         *  target", yet also that a pre-event answer's validation error "will be returned to the SDK (or REST
         *  client)". The emulator sends pre-events for them too, so a local run exercises the pre-event handler.
         */
        public static Origin rest(ApiRequest req) {
            return new Origin("API", null, "true".equalsIgnoreCase(req.header("X-Twilio-Webhook-Enabled")));
        }

        /** A Conversations SDK client: always fires; {@code Source=SDK} and {@code ClientIdentity}. */
        public static Origin sdk(String identity) {
            return new Origin("SDK", identity, true);
        }

        /** Twilio itself (timers): always fires. No {@code Source}: the docs name only SDK and API. */
        public static Origin system() {
            return new Origin(null, null, true);
        }
    }

    /**
     * How a pre-event webhook answered, per "Using Pre-Action Webhooks to Modify or Reject Changes":
     * 200 with {@code {}} or no content publishes unmodified; 200 with fields publishes them instead; "HTTP 40x"
     * and "HTTP 50x" reject; "no response or timeout" publishes unmodified after 5 s. The emulator reads any 2xx
     * as 200, any other status as a rejection, a failed connection as no response, and a 2xx body that is not a
     * JSON object as no modification.
     */
    public record PreEventAnswer(int rejectedWith, JsonNode modifications) {

        static final PreEventAnswer PROCEED = new PreEventAnswer(0, Json.MAPPER.createObjectNode());

        public boolean rejected() {
            return rejectedWith != 0;
        }

        /** A modified value, e.g. {@code body}; a non-string value (an attributes object) is sent as JSON text. */
        public Optional<String> modified(String field) {
            JsonNode value = modifications.get(field);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            return Optional.of(value.isTextual() ? value.asText() : Json.write(value));
        }
    }

    private final EmulatorAccount account;
    private final StateLock state;
    private final WebhookSender sender;
    private final WebhookConfiguration accountLevel = new WebhookConfiguration();
    private final Map<String, WebhookConfiguration> services = new HashMap<>();

    public ConversationWebhooks(EmulatorAccount account, StateLock state, WebhookSender sender) {
        this.account = account;
        this.state = state;
        this.sender = sender;
    }

    WebhookConfiguration accountLevel() {
        return accountLevel;
    }

    WebhookConfiguration service(String serviceSid) {
        return services.computeIfAbsent(serviceSid, sid -> new WebhookConfiguration());
    }

    /**
     * Sends the pre-event webhook {@code eventType} if it is due, and says how to proceed. The state lock is
     * released meanwhile: the caller must look up again whatever it is about to change.
     */
    public PreEventAnswer pre(String serviceSid, String eventType, Origin origin, Map<String, List<String>> eventParams) {
        Optional<WebhookConfiguration> config = applicable(serviceSid, eventType, origin)
                .filter(c -> c.preWebhookUrl != null);
        if (config.isEmpty()) {
            return PreEventAnswer.PROCEED;
        }
        String method = config.get().method;
        String url = config.get().preWebhookUrl;
        Map<String, List<String>> params = withCommonParams(serviceSid, eventType, origin, eventParams);
        WebhookDelivery delivery = state.unlocked(() -> sender.send(method, url, params));
        if (delivery.status() == 0) {
            return PreEventAnswer.PROCEED;
        }
        if (!delivery.succeeded()) {
            return new PreEventAnswer(delivery.status(), Json.MAPPER.createObjectNode());
        }
        try {
            JsonNode body = delivery.responseBody().isBlank() ? null : Json.parse(delivery.responseBody());
            return body != null && body.isObject() ? new PreEventAnswer(0, body) : PreEventAnswer.PROCEED;
        } catch (JsonProcessingException notJson) {
            return PreEventAnswer.PROCEED;
        }
    }

    /** Queues the post-event webhook {@code eventType} if it is due. */
    public void post(String serviceSid, String eventType, Origin origin, Map<String, List<String>> eventParams) {
        applicable(serviceSid, eventType, origin)
                .filter(c -> c.postWebhookUrl != null)
                .ifPresent(c -> sender.sendLater(c.method, c.postWebhookUrl,
                        withCommonParams(serviceSid, eventType, origin, eventParams)));
    }

    private Optional<WebhookConfiguration> applicable(String serviceSid, String eventType, Origin origin) {
        if (!origin.firesWebhooks()) {
            return Optional.empty();
        }
        WebhookConfiguration service = services.get(serviceSid);
        WebhookConfiguration config = service != null && service.hasUrl() ? service
                : "webhook".equals(accountLevel.target) ? accountLevel : null;
        return Optional.ofNullable(config).filter(c -> c.fires(eventType));
    }

    /**
     * "In addition to the event-specific parameters, each request also contains" {@code AccountSid},
     * {@code EventType}, {@code Source} and, for SDK-originated events, {@code ClientIdentity}.
     * TODO(uncertain): {@code ChatServiceSid} is documented for conversation and user events only; the emulator
     *  sends it with every event, as we believe Twilio does.
     */
    private Map<String, List<String>> withCommonParams(String serviceSid, String eventType, Origin origin,
                                                       Map<String, List<String>> eventParams) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        FormCodec.add(params, "AccountSid", account.accountSid());
        FormCodec.add(params, "ChatServiceSid", serviceSid);
        FormCodec.add(params, "EventType", eventType);
        FormCodec.add(params, "Source", origin.source());
        FormCodec.add(params, "ClientIdentity", origin.clientIdentity());
        eventParams.forEach((name, values) -> params.put(name, new ArrayList<>(values)));
        return params;
    }
}
