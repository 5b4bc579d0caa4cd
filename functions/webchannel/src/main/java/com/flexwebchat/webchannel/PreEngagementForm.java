package com.flexwebchat.webchannel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The widget's pre-engagement form ({@code formData}), checked before anything is created at
 * Twilio: a flat JSON object of at most {@value #MAX_FIELDS} fields, keys up to
 * {@value #MAX_KEY_LENGTH} characters, string/number/boolean values up to
 * {@value #MAX_VALUE_LENGTH} characters, and a plausible {@code email} when one is given.
 * Every refusal names the field (its name masked, should a card number be in it).
 *
 * <p>Characters are Unicode code points, not Java's UTF-16 units: an emoji or a mathematical
 * letter is one character to the visitor who typed it, not two, so 1,000 emoji fit in a value.
 * Not grapheme clusters: a cluster (a family emoji, a flag, a letter with any number of combining
 * marks) can hold any number of code points, so a limit in clusters would bound nothing, and where
 * clusters end changes with each Unicode version (and JDK); code points are what Twilio's own
 * limits and {@code MAX_MESSAGE_LENGTH} count, and they never count fewer than a person sees.
 */
public record PreEngagementForm(String friendlyName, String query, ObjectNode fields) {

    static final int MAX_FIELDS = 30;
    static final int MAX_KEY_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 1_000;
    static final String DEFAULT_FRIENDLY_NAME = "Customer";
    /**
     * Deliberately loose (one @, a dot in the domain, no spaces): the address is for an agent to
     * read, not to deliver to. "No spaces" means none of any kind, and nothing invisible: Java's
     * {@code \\s} alone is ASCII white space, and let a no-break or an ideographic space through.
     */
    private static final String ADDRESS_CHARACTER = "[^\\s\\p{Z}\\p{Cc}\\p{Cf}@]";
    private static final Pattern EMAIL = Pattern.compile(
            "^" + ADDRESS_CHARACTER + "+@" + ADDRESS_CHARACTER + "+\\." + ADDRESS_CHARACTER + "+$");
    private static final int MAX_EMAIL_LENGTH = 254;
    private static final CardNumberRedactor REDACTOR = new CardNumberRedactor();

    /** Reads {@code formData} from the request body; a missing form is an empty one, as in the Express server. */
    public static PreEngagementForm from(JsonNode body) {
        JsonNode form = body.path("formData");
        if (form.isMissingNode() || form.isNull()) {
            form = Json.object();
        }
        if (!form.isObject()) {
            throw ApiError.invalidField("formData", "formData must be a JSON object");
        }
        if (form.size() > MAX_FIELDS) {
            throw ApiError.invalidField("formData", "formData may have at most " + MAX_FIELDS + " fields");
        }
        ObjectNode fields = Json.object();
        for (Map.Entry<String, JsonNode> field : form.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.isBlank() || length(key) > MAX_KEY_LENGTH) {
                throw ApiError.invalidField("formData", "formData keys must be 1 to " + MAX_KEY_LENGTH + " characters");
            }
            if (!(value.isTextual() || value.isNumber() || value.isBoolean())) {
                String name = "formData." + REDACTOR.redact(key).text();
                throw ApiError.invalidField(name, name + " must be a string, number or boolean");
            }
            if (value.isTextual() && length(value.asText()) > MAX_VALUE_LENGTH) {
                String name = "formData." + REDACTOR.redact(key).text();
                throw ApiError.invalidField(name, name + " may be at most " + MAX_VALUE_LENGTH + " characters");
            }
            fields.set(key, value);
        }

        JsonNode email = fields.path("email");
        if (!email.isMissingNode() && !(email.isTextual() && email.asText().isEmpty())) {
            if (!email.isTextual() || length(email.asText()) > MAX_EMAIL_LENGTH || !EMAIL.matcher(email.asText()).matches()) {
                throw ApiError.invalidField("formData.email", "formData.email must be an email address");
            }
        }
        JsonNode name = fields.path("friendlyName");
        if (!name.isMissingNode() && !name.isTextual()) {
            throw ApiError.invalidField("formData.friendlyName", "formData.friendlyName must be a string");
        }
        // A visitor may type a card number into any field, or as a field's name; it must reach
        // neither Flex's task nor the transcript, so every value and name is masked before
        // anything leaves this function.
        REDACTOR.redactTree(fields);
        name = fields.path("friendlyName");
        String friendlyName = name.asText("").isBlank() ? DEFAULT_FRIENDLY_NAME : name.asText().trim();
        fields.put("friendlyName", friendlyName);

        JsonNode query = fields.path("query");
        String text = query.isValueNode() ? query.asText() : "";
        return new PreEngagementForm(friendlyName, text.isBlank() ? null : text, fields);
    }

    /** Characters as people count them: Unicode code points (see the class comment). */
    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The visitor's email, or null when the form has none. */
    public String email() {
        JsonNode email = fields.path("email");
        return email.isTextual() && !email.asText().isBlank() ? email.asText() : null;
    }

    /** {@code PreEngagementData} as Flex stores it on the chat: the form, with the resolved friendlyName. */
    public String preEngagementData() {
        return Json.write(fields);
    }

    /** Pre-engagement values are visitors' personal data: keep them out of logs. */
    @Override
    public String toString() {
        return "PreEngagementForm[" + fields.size() + " fields]";
    }
}
