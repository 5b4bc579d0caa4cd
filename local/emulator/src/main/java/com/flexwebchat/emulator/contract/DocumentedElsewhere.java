package com.flexwebchat.emulator.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.PathTemplate;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Twilio operations that Twilio's OpenAPI specs leave out but its docs describe, listed here one by one with the
 * page that documents them, so the contract check knows them by name instead of reporting them as unknown, and
 * checks what the docs allow it to: the path parameters, the query parameters the operation takes, that a raw-body
 * upload sends no form, the documented statuses, the JSON resource against a schema written from the docs'
 * property table, and Twilio's error shape for the operations that answer JSON. A path on one of these hosts that
 * is none of these operations is a violation, as an unknown path of the specs' hosts is.
 *
 * <p>Today: the Media Content Service, where Conversations keeps the files of media messages. "The Twilio Helper
 * Libraries or Twilio CLI don't support the Media resource" and twilio-oai has no spec for it
 * (https://www.twilio.com/docs/conversations/api/media-resource); and the media host its pre-signed
 * {@code content_direct_temporary} links point at, whose answers are files (or the CDN's XML refusals), not JSON.
 */
final class DocumentedElsewhere {

    static final String MEDIA_RESOURCE_DOCS = "https://www.twilio.com/docs/conversations/api/media-resource";
    static final String MEDIA_SUPPORT_DOCS = "https://www.twilio.com/docs/conversations/media-support-conversations";

    /**
     * One operation: {@code method} on {@code https://{subdomain}.twilio.com{template}}.
     *
     * @param pathPatterns    each path parameter's pattern
     * @param queryParameters the query parameters it takes (any other is a violation)
     * @param responses       each documented status, with the schema its JSON body must have ({@code null}: the
     *                        body is not JSON, a file)
     * @param jsonErrors      whether its error answers have Twilio's JSON error shape (MCS's API), or are the
     *                        media host's own (not checked)
     */
    record Operation(String subdomain, String method, PathTemplate template, String id, String doc,
                     Map<String, String> pathPatterns, Set<String> queryParameters, Map<Integer, String> responses,
                     boolean jsonErrors) {

        String describe() {
            return method + " " + TwilioUrls.host(subdomain) + template + " (" + id + ", documented at " + doc + ")";
        }
    }

    private static final String SERVICE_SID = "^IS[0-9a-fA-F]{32}$";
    private static final String MEDIA_SID = "^ME[0-9a-fA-F]{32}$";
    private static final String MEDIA = "/v1/Services/{ChatServiceSid}/Media";

    static final List<Operation> OPERATIONS = List.of(
            new Operation(TwilioUrls.MCS_SUBDOMAIN, "POST", new PathTemplate(MEDIA), "CreateMcsMedia", MEDIA_SUPPORT_DOCS,
                    Map.of("ChatServiceSid", SERVICE_SID), Set.of("Filename"), responses(201, "mcs_media_created"), true),
            new Operation(TwilioUrls.MCS_SUBDOMAIN, "GET", new PathTemplate(MEDIA + "/{Sid}"), "FetchMcsMedia",
                    MEDIA_RESOURCE_DOCS, Map.of("ChatServiceSid", SERVICE_SID, "Sid", MEDIA_SID), Set.of(),
                    responses(200, "mcs_media"), true),
            new Operation(TwilioUrls.MCS_SUBDOMAIN, "GET", new PathTemplate(MEDIA + "/{Sid}/Content"), "FetchMcsMediaContent",
                    MEDIA_RESOURCE_DOCS, Map.of("ChatServiceSid", SERVICE_SID, "Sid", MEDIA_SID), Set.of(),
                    responses(200, null), true),
            new Operation(TwilioUrls.MEDIA_SUBDOMAIN, "GET", new PathTemplate("/{Sid}"), "FetchMediaContentDirectTemporary",
                    MEDIA_RESOURCE_DOCS, Map.of("Sid", MEDIA_SID), Set.of("Expires", "Signature", "Key-Pair-Id"),
                    responses(200, null), false));

    private static final Set<String> HOSTS = OPERATIONS.stream().map(Operation::subdomain).collect(Collectors.toSet());

    /**
     * The Media resource as MCS renders it: the properties of the docs' table (with the file's name under
     * {@code filename}, as every answer has it, where the table says {@code file_name}), and those MCS's answers
     * carry beyond it ({@code date_upload_updated}, {@code category}, {@code is_multipart_upstream}).
     * {@code url} and {@code links.content} are paths on the MCS host; {@code links.content_direct_temporary}, an
     * absolute URL, is in a fetch's answer only, not in an upload's.
     */
    private static final JsonNode SCHEMAS = parse("""
            {"components": {"schemas": {
              "mcs_media": {"type": "object", "properties": {%s,
                "links": {"type": "object", "properties": {
                  "content": {"type": "string", "pattern": "^/v1/Services/IS[0-9a-fA-F]{32}/Media/ME[0-9a-fA-F]{32}/Content$"},
                  "content_direct_temporary": {"type": "string", "format": "uri"}}}}},
              "mcs_media_created": {"type": "object", "properties": {%s,
                "links": {"type": "object", "properties": {
                  "content": {"type": "string", "pattern": "^/v1/Services/IS[0-9a-fA-F]{32}/Media/ME[0-9a-fA-F]{32}/Content$"}}}}}
            }}}""".formatted(mediaProperties(), mediaProperties()));
    private static final SchemaValidator VALIDATOR = new SchemaValidator(SCHEMAS);

    private DocumentedElsewhere() {
    }

    /** Whether a recorded path's subdomain is one of these hosts, which no spec has. */
    static boolean covers(String subdomain) {
        return HOSTS.contains(subdomain);
    }

    /** The operation a request on one of these hosts addresses; a violation in {@code out} when none. */
    static Optional<Map.Entry<Operation, Map<String, String>>> resolve(RecordedRequest r, String subdomain,
                                                                      String path, List<String> out) {
        boolean pathKnown = false;
        for (Operation op : OPERATIONS) {
            if (!op.subdomain().equals(subdomain)) {
                continue;
            }
            Optional<Map<String, String>> params = op.template().match(path);
            if (params.isPresent()) {
                pathKnown = true;
                if (op.method().equals(r.method())) {
                    return Optional.of(Map.entry(op, params.get()));
                }
            }
        }
        out.add(r.method() + " " + r.path() + ": " + (pathKnown
                ? "the docs describe no " + r.method() + " operation on this path"
                : "no operation of " + TwilioUrls.host(subdomain) + " that the docs describe matches " + path)
                + " (" + MEDIA_RESOURCE_DOCS + ")");
        return Optional.empty();
    }

    static List<String> checkRequest(RecordedRequest r, Operation op, Map<String, String> pathParams) {
        List<String> out = new ArrayList<>();
        op.pathPatterns().forEach((name, pattern) -> {
            String value = pathParams.get(name);
            if (value == null || !value.matches(pattern)) {
                out.add("path parameter " + name + " \"" + value + "\" does not match " + pattern);
            }
        });
        r.queryParams().keySet().stream().filter(name -> !op.queryParameters().contains(name)).forEach(name ->
                out.add("query parameter " + name + " is not one the docs describe (described: " + op.queryParameters() + ")"));
        if (!r.form().isEmpty()) {
            out.add("form parameters " + r.form().keySet() + " sent, but the operation takes "
                    + (op.method().equals("POST") ? "the file as its raw body, with the file's Content-Type" : "no body"));
        }
        return prefixed(r, op, out);
    }

    static List<String> checkResponse(RecordedRequest r, Operation op, String body) {
        List<String> out = new ArrayList<>();
        if (!op.responses().containsKey(r.status())) {
            if (r.status() < 400) {
                out.add("status " + r.status() + " is not a documented response (documented: " + op.responses().keySet() + ")");
            } else if (op.jsonErrors()) {
                OpenApiContract.checkErrorBody(r, body, out);
            }
            return prefixed(r, op, out);
        }
        String schema = op.responses().get(r.status());
        if (schema != null) {
            OpenApiContract.parseBody(body, out).ifPresent(json ->
                    VALIDATOR.validate(json, SCHEMAS.at("/components/schemas/" + schema), "response", out));
        }
        return prefixed(r, op, out);
    }

    private static List<String> prefixed(RecordedRequest r, Operation op, List<String> violations) {
        return violations.stream().map(v -> r.method() + " " + r.path() + " (" + op.id() + "): " + v).toList();
    }

    private static Map<Integer, String> responses(int status, String schema) {
        Map<Integer, String> responses = new java.util.HashMap<>();
        responses.put(status, schema);
        return responses;
    }

    private static String mediaProperties() {
        return """
                "sid": {"type": "string", "pattern": "^ME[0-9a-fA-F]{32}$"},
                "account_sid": {"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$"},
                "service_sid": {"type": "string", "pattern": "^IS[0-9a-fA-F]{32}$"},
                "date_created": {"type": "string", "format": "date-time"},
                "date_upload_updated": {"type": "string", "format": "date-time", "nullable": true},
                "date_updated": {"type": "string", "format": "date-time", "nullable": true},
                "size": {"type": "integer", "minimum": 0},
                "content_type": {"type": "string"},
                "filename": {"type": "string", "nullable": true},
                "author": {"type": "string", "nullable": true},
                "category": {"type": "string", "enum": ["media", "body", "history"]},
                "message_sid": {"type": "string", "nullable": true, "pattern": "^IM[0-9a-fA-F]{32}$"},
                "channel_sid": {"type": "string", "nullable": true, "pattern": "^CH[0-9a-fA-F]{32}$"},
                "url": {"type": "string", "pattern": "^/v1/Services/IS[0-9a-fA-F]{32}/Media/ME[0-9a-fA-F]{32}$"},
                "is_multipart_upstream": {"type": "boolean"}""";
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
