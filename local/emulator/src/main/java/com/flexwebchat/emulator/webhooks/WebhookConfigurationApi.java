package com.flexwebchat.emulator.webhooks;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Conversations webhook configuration: per service ({@code /v1/Services/{ChatServiceSid}/Configuration/Webhooks})
 * and for the account ({@code /v1/Configuration/Webhooks}, the "global" webhooks, used by services without their
 * own). {@code Filters} is a list parameter, sent as a repeated form key; an update replaces the whole list. An
 * empty {@code PreWebhookUrl}/{@code PostWebhookUrl} clears it.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api/per-service-webhook-resource">Per-Service Webhook</a>
 * @see <a href="https://www.twilio.com/docs/conversations/api/webhook-configuration-resource">Webhook Configuration</a>
 */
public final class WebhookConfigurationApi {

    /** The events either resource's {@code Filters} documentation lists. */
    private static final Set<String> EVENTS = Set.of(
            "onMessageAdd", "onMessageAdded", "onMessageUpdate", "onMessageUpdated", "onMessageRemove", "onMessageRemoved",
            "onConversationAdd", "onConversationAdded", "onConversationUpdate", "onConversationUpdated",
            "onConversationRemove", "onConversationRemoved", "onConversationStateUpdated",
            "onParticipantAdd", "onParticipantAdded", "onParticipantUpdate", "onParticipantUpdated",
            "onParticipantRemove", "onParticipantRemoved", "onDeliveryUpdated",
            "onUserAdded", "onUserUpdate", "onUserUpdated");

    private final ConversationWebhooks webhooks;
    private final EmulatorAccount account;

    public WebhookConfigurationApi(ConversationWebhooks webhooks, EmulatorAccount account) {
        this.webhooks = webhooks;
        this.account = account;
    }

    public void register(Router router) {
        String service = "/conversations/v1/Services/{ChatServiceSid}/Configuration/Webhooks";
        router.add("GET", service, req -> ApiResponse.ok(serviceResource(serviceSid(req))));
        router.add("POST", service, this::updateService);
        router.add("GET", "/conversations/v1/Configuration/Webhooks", req -> ApiResponse.ok(accountResource()));
        router.add("POST", "/conversations/v1/Configuration/Webhooks", this::updateAccount);
    }

    private ApiResponse updateService(ApiRequest req) {
        String serviceSid = serviceSid(req);
        update(webhooks.service(serviceSid), req);
        return ApiResponse.ok(serviceResource(serviceSid));
    }

    private ApiResponse updateAccount(ApiRequest req) {
        WebhookConfiguration config = webhooks.accountLevel();
        String target = req.form("Target");
        if (target != null && !target.equals("webhook") && !target.equals("flex")) {
            throw TwilioError.invalidParameter("Target", "must be webhook or flex");
        }
        update(config, req);
        if (target != null) {
            config.target = target;
        }
        return ApiResponse.ok(accountResource());
    }

    /** Validates everything first, so a bad parameter leaves the configuration as it was. */
    private static void update(WebhookConfiguration config, ApiRequest req) {
        String pre = url(req, "PreWebhookUrl", 50077, "Invalid pre-webhook url");
        String post = url(req, "PostWebhookUrl", 50078, "Invalid post-webhook url");
        String method = req.form("Method");
        if (method != null && !method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("POST")) {
            throw new TwilioError(400, 50055, "Invalid webhook method: " + method);
        }
        List<String> filters = new ArrayList<>();
        for (String filter : req.form().getOrDefault("Filters", List.of())) {
            if (filter.isEmpty()) {
                continue;
            }
            if (!EVENTS.contains(filter)) {
                throw TwilioError.invalidParameter("Filters", "unknown webhook event " + filter);
            }
            filters.add(filter);
        }
        if (req.hasForm("PreWebhookUrl")) {
            config.preWebhookUrl = pre;
        }
        if (req.hasForm("PostWebhookUrl")) {
            config.postWebhookUrl = post;
        }
        if (method != null) {
            config.method = method.toUpperCase(Locale.ROOT);
        }
        if (req.hasForm("Filters")) {
            config.filters = List.copyOf(filters);
        }
    }

    /** An absolute http(s) URL, or {@code null} for an empty value (which clears it) or an absent one. */
    private static String url(ApiRequest req, String name, int code, String message) {
        String value = req.form(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (TwilioUrls.isAbsoluteHttpUrl(value)) {
            return value;
        }
        throw new TwilioError(400, code, message + ": " + value);
    }

    /** Flex's conversation service is the only one. */
    private String serviceSid(ApiRequest req) {
        String sid = req.pathParam("ChatServiceSid");
        if (!account.conversationsServiceSid().equals(sid)) {
            throw TwilioError.notFound(req.resource());
        }
        return sid;
    }

    /** The {@code ...service_configuration.service_webhook_configuration} resource. */
    private Map<String, Object> serviceResource(String serviceSid) {
        WebhookConfiguration config = webhooks.service(serviceSid);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", account.accountSid());
        r.put("chat_service_sid", serviceSid);
        r.put("pre_webhook_url", config.preWebhookUrl);
        r.put("post_webhook_url", config.postWebhookUrl);
        r.put("filters", config.filters);
        r.put("method", config.method);
        r.put("url", TwilioUrls.CONVERSATIONS + "/v1/Services/" + serviceSid + "/Configuration/Webhooks");
        return r;
    }

    /** The {@code conversations.v1.configuration.configuration_webhook} resource. */
    private Map<String, Object> accountResource() {
        WebhookConfiguration config = webhooks.accountLevel();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", account.accountSid());
        r.put("method", config.method);
        r.put("filters", config.filters);
        r.put("pre_webhook_url", config.preWebhookUrl);
        r.put("post_webhook_url", config.postWebhookUrl);
        r.put("target", config.target);
        r.put("url", TwilioUrls.CONVERSATIONS + "/v1/Configuration/Webhooks");
        return r;
    }
}
