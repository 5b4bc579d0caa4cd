package com.flexwebchat.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.util.Map;

/** JSON reading and writing shared by the emulator. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** A plain {@code Map} copy of a JSON object, as a caller outside the emulator would decode it. */
    public static Map<String, Object> plainCopy(Object resource) {
        return MAPPER.convertValue(resource, new TypeReference<Map<String, Object>>() { });
    }

    /**
     * For the emulator's Java API, which takes JSON as the REST API does: {@code null} or valid JSON, bad JSON
     * being the {@link IllegalArgumentException} it is there.
     */
    public static void requireJsonArgument(String json) {
        if (json != null) {
            try {
                requireJsonParameter("attributes", json);
            } catch (TwilioError e) {
                throw new IllegalArgumentException(e.getMessage() + ": " + json, e);
            }
        }
    }

    /**
     * A parameter that must hold structurally valid JSON, e.g. {@code Attributes} ("The string value must contain
     * structurally valid JSON"). Returns the parsed value; answers 400 / 20001 otherwise (Twilio's exact code for
     * invalid attributes is undocumented).
     */
    public static JsonNode requireJsonParameter(String name, String value) {
        try {
            JsonNode node = parse(value);
            if (node == null || node.isMissingNode()) {
                throw TwilioError.invalidParameter(name, "empty JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw TwilioError.invalidParameter(name, "not valid JSON");
        }
    }
}
