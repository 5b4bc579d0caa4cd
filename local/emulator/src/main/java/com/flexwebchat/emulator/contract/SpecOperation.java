package com.flexwebchat.emulator.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.http.PathTemplate;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One operation of a Twilio OpenAPI spec: {@code method} on {@code template} (the spec's path, e.g.
 * {@code /v1/Conversations/{Sid}}) of the API at {@code https://{subdomain}.twilio.com}.
 */
record SpecOperation(String subdomain, String method, PathTemplate template, JsonNode operation,
                     SchemaValidator schemas) {

    private static final String FORM = "application/x-www-form-urlencoded";

    String id() {
        return operation.path("operationId").asText(method + " " + template);
    }

    /** {@code METHOD https://{sub}.twilio.com{template} (operationId)}. */
    String describe() {
        return method + " " + TwilioUrls.host(subdomain) + template + " (" + id() + ")";
    }

    /** The declared parameters located {@code in} path, query or header. */
    List<JsonNode> parameters(String in) {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (in.equals(parameter.path("in").asText())) {
                result.add(parameter);
            }
        }
        return result;
    }

    /** The schema of the form-encoded request body, if the operation takes one. */
    Optional<JsonNode> formSchema() {
        JsonNode schema = operation.path("requestBody").path("content").path(FORM).path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(schemas.resolve(schema));
    }

    /** The documented response for a status; its JSON schema is {@code content/application/json/schema}. */
    Optional<JsonNode> response(int status) {
        JsonNode response = operation.path("responses").path(String.valueOf(status));
        return response.isMissingNode() ? Optional.empty() : Optional.of(response);
    }

    List<String> documentedStatuses() {
        List<String> statuses = new ArrayList<>();
        operation.path("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }
}
