package com.flexwebchat.emulator.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates values against the OpenAPI 3 schema subset Twilio's specs use: {@code $ref} (local), {@code type},
 * {@code nullable}, {@code enum}, {@code properties}, {@code required}, {@code items}, {@code pattern},
 * {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum} and the formats {@code date-time},
 * {@code uri} and {@code uri-map} (an object of URIs). Twilio's specs use no {@code allOf}/{@code oneOf}/
 * {@code additionalProperties}; a schema without {@code type} accepts anything.
 *
 * <p>Objects are checked strictly, since Twilio renders every property of a resource (null when unset): a
 * property the schema doesn't declare, and a declared property that is missing, are both violations.
 */
final class SchemaValidator {

    private final JsonNode specRoot;

    SchemaValidator(JsonNode specRoot) {
        this.specRoot = specRoot;
    }

    /** Follows {@code $ref}s ({@code #/components/schemas/...}) to the schema they name. */
    JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; current != null && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/") || hops > 20) {
                throw new IllegalStateException("unsupported $ref " + ref);
            }
            current = specRoot.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalStateException("dangling $ref " + ref);
            }
        }
        return current;
    }

    /** Adds to {@code out} every way {@code value} (at {@code where}) breaks {@code schema}. */
    void validate(JsonNode value, JsonNode schema, String where, List<String> out) {
        JsonNode s = resolve(schema);
        if (value == null || value.isNull() || value.isMissingNode()) {
            if (s.has("type") && !s.path("nullable").asBoolean(false)) {
                out.add(where + " is null but the schema does not allow null");
            }
            return;
        }
        String type = s.path("type").asText(null);
        if (type != null && !hasType(value, type)) {
            out.add(where + " should be " + type + " but is " + describe(value));
            return;
        }
        checkEnum(value, s, where, out);
        if (value.isTextual()) {
            checkString(value.asText(), s, where, out);
        } else if (value.isNumber()) {
            checkRange(value.decimalValue(), s, where, out);
        } else if (value.isObject()) {
            checkObject(value, s, where, out);
        } else if (value.isArray() && s.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), s.get("items"), where + "[" + i + "]", out);
            }
        }
    }

    /** Validates a parameter sent as text (path, query, header or form) against its declared schema. */
    void validateText(String raw, JsonNode schema, String where, List<String> out) {
        JsonNode s = resolve(schema);
        String type = s.path("type").asText("string");
        switch (type) {
            case "integer":
                try {
                    validate(LongNode.valueOf(Long.parseLong(raw)), s, where, out);
                } catch (NumberFormatException e) {
                    out.add(where + " should be an integer but is \"" + raw + "\"");
                }
                break;
            case "number":
                try {
                    validate(DecimalNode.valueOf(new BigDecimal(raw)), s, where, out);
                } catch (NumberFormatException e) {
                    out.add(where + " should be a number but is \"" + raw + "\"");
                }
                break;
            case "boolean":
                if (raw.equals("true") || raw.equals("false")) {
                    validate(BooleanNode.valueOf(Boolean.parseBoolean(raw)), s, where, out);
                } else {
                    out.add(where + " should be true or false but is \"" + raw + "\"");
                }
                break;
            case "array":
                // A list parameter is sent by repeating the name; each value is one item.
                validateText(raw, s.path("items"), where, out);
                break;
            default:
                validate(TextNode.valueOf(raw), s, where, out);
        }
    }

    private void checkObject(JsonNode value, JsonNode s, String where, List<String> out) {
        if ("uri-map".equals(s.path("format").asText())) {
            value.properties().forEach(e -> {
                if (!e.getValue().isNull() && !(e.getValue().isTextual() && isUri(e.getValue().asText()))) {
                    out.add(where + "." + e.getKey() + " should be a URI or null but is " + describe(e.getValue()));
                }
            });
        }
        JsonNode properties = s.get("properties");
        if (properties == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!properties.has(field.getKey())) {
                out.add(where + "." + field.getKey() + " is not a property of the schema");
            }
        }
        properties.properties().forEach(p -> {
            if (value.has(p.getKey())) {
                validate(value.get(p.getKey()), p.getValue(), where + "." + p.getKey(), out);
            } else {
                out.add(where + "." + p.getKey() + " is missing");
            }
        });
    }

    private void checkEnum(JsonNode value, JsonNode s, String where, List<String> out) {
        JsonNode allowed = s.get("enum");
        if (allowed == null) {
            return;
        }
        for (JsonNode candidate : allowed) {
            if (candidate.asText().equals(value.asText())) {
                return;
            }
        }
        out.add(where + " is " + describe(value) + ", not one of " + allowed);
    }

    private void checkString(String text, JsonNode s, String where, List<String> out) {
        if (s.has("minLength") && text.length() < s.get("minLength").asInt()) {
            out.add(where + " is shorter than " + s.get("minLength").asInt() + " characters: \"" + text + "\"");
        }
        if (s.has("maxLength") && text.length() > s.get("maxLength").asInt()) {
            out.add(where + " is longer than " + s.get("maxLength").asInt() + " characters: \"" + text + "\"");
        }
        if (s.has("pattern") && !matches(s.get("pattern").asText(), text)) {
            out.add(where + " \"" + text + "\" does not match " + s.get("pattern").asText());
        }
        String format = s.path("format").asText("");
        if (format.equals("date-time") && !isDateTime(text)) {
            out.add(where + " \"" + text + "\" is not an ISO 8601 date-time");
        } else if (format.equals("uri") && !isUri(text)) {
            out.add(where + " \"" + text + "\" is not an absolute URI");
        }
    }

    private static void checkRange(BigDecimal number, JsonNode s, String where, List<String> out) {
        if (s.has("minimum") && number.compareTo(s.get("minimum").decimalValue()) < 0) {
            out.add(where + " " + number + " is below the minimum " + s.get("minimum"));
        }
        if (s.has("maximum") && number.compareTo(s.get("maximum").decimalValue()) > 0) {
            out.add(where + " " + number + " is above the maximum " + s.get("maximum"));
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        switch (type) {
            case "string": return value.isTextual();
            case "integer": return value.isIntegralNumber();
            case "number": return value.isNumber();
            case "boolean": return value.isBoolean();
            case "object": return value.isObject();
            case "array": return value.isArray();
            default: return true;
        }
    }

    private static boolean matches(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return true; // a pattern Java can't read is not the value's fault
        }
    }

    private static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isUri(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
    }
}
