package com.flexwebchat.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import java.util.List;
import java.util.Set;

/**
 * The Flex task's attributes for the Send to Flex widget, from the chat's pre-engagement form:
 * {@code name} (the form's friendlyName), {@code email} when given, {@code initial_question} (the
 * form's query) when given, {@code channelType: web}, {@code conversationSid}, then every form
 * field named in ROUTING_FIELDS that the form has as a string, number or boolean. A routing field
 * never replaces one of the built-in attributes: the form is the visitor's to fill in.
 */
final class TaskAttributes {

    static final String DEFAULT_NAME = "Customer";
    static final int MAX_ATTRIBUTES_LENGTH = 1_024;
    static final Set<String> BUILT_IN = Set.of("name", "email", "initial_question", "channelType", "conversationSid");

    private static final CardNumberRedactor REDACTOR = new CardNumberRedactor();

    private final List<String> routingFields;

    TaskAttributes(List<String> routingFields) {
        this.routingFields = List.copyOf(routingFields);
    }

    ObjectNode of(Chat chat) {
        ObjectNode form = chat.preEngagementData();
        ObjectNode attributes = Json.object();
        attributes.put("name", name(chat));
        String email = text(form.get("email"));
        if (email != null) {
            attributes.put("email", email);
        }
        String question = text(form.get("query"));
        if (question != null) {
            attributes.put("initial_question", question);
        }
        for (String field : routingFields) {
            JsonNode value = form.get(field);
            if (!BUILT_IN.contains(field) && value != null
                    && (value.isTextual() || value.isNumber() || value.isBoolean())) {
                attributes.set(field, value);
            }
        }
        // Chats started elsewhere than /initWebchat may carry a card number in their form; the
        // agent sees these attributes, so they are masked here too. Only what came from the form:
        // the SID is Twilio's, and about one in 700 has a digit run that passes Luhn, which masked
        // would route the task to no conversation.
        REDACTOR.redactTree(attributes);
        attributes.put("channelType", "web");
        attributes.put("conversationSid", chat.sid());
        return withinSendToFlexLimit(attributes);
    }

    /**
     * Send to Flex takes at most {@value #MAX_ATTRIBUTES_LENGTH} characters of attributes
     * (https://www.twilio.com/docs/studio/widget-library/send-flex); a longer set would fail the
     * hand-off. The first question gives way first (it is in the transcript anyway), then the
     * routing fields; the built-in attributes always fit.
     */
    static ObjectNode withinSendToFlexLimit(ObjectNode attributes) {
        int excess = Json.write(attributes).length() - MAX_ATTRIBUTES_LENGTH;
        if (excess <= 0) {
            return attributes;
        }
        JsonNode question = attributes.get("initial_question");
        if (question != null) {
            String text = question.asText();
            // JSON escaping can make a character longer than one; shorten until it fits.
            int keep = Math.max(0, text.length() - excess - 1);
            while (true) {
                attributes.put("initial_question", keep == 0 ? "…" : text.substring(0, keep) + "…");
                if (Json.write(attributes).length() <= MAX_ATTRIBUTES_LENGTH || keep == 0) {
                    break;
                }
                keep = Math.max(0, keep - Math.max(1, Json.write(attributes).length() - MAX_ATTRIBUTES_LENGTH));
            }
        }
        var names = new java.util.ArrayList<String>();
        attributes.fieldNames().forEachRemaining(names::add);
        for (int i = names.size() - 1; i >= 0 && Json.write(attributes).length() > MAX_ATTRIBUTES_LENGTH; i--) {
            if (!BUILT_IN.contains(names.get(i))) {
                attributes.remove(names.get(i));
            }
        }
        return attributes;
    }

    /** How many routing fields were copied: a count for the log, never the values. */
    static int routingFieldCount(JsonNode attributes) {
        int count = 0;
        for (var names = attributes.fieldNames(); names.hasNext(); ) {
            if (!BUILT_IN.contains(names.next())) {
                count++;
            }
        }
        return count;
    }

    /** The form's friendlyName; else the {@code from} Flex put on the chat; else Flex's default. */
    private static String name(Chat chat) {
        String name = text(chat.preEngagementData().get("friendlyName"));
        if (name == null) {
            name = text(chat.attributes().get("from"));
        }
        return name == null ? DEFAULT_NAME : name;
    }

    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? null : text;
    }
}
