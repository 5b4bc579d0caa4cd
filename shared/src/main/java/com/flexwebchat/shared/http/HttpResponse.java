package com.flexwebchat.shared.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;

/** What a service answers: a status and a JSON body. Headers are the adapter's business. */
public record HttpResponse(int status, JsonNode body) {

    public static HttpResponse ok(JsonNode body) {
        return new HttpResponse(200, body);
    }

    /** The error shape every route uses: {@code {"error": {"code", "message", "field"?}}}. */
    public static HttpResponse error(ApiError error) {
        ObjectNode body = Json.object();
        ObjectNode detail = body.putObject("error");
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) {
            detail.put("field", error.field());
        }
        return new HttpResponse(error.status(), body);
    }
}
