package com.flexwebchat.emulator.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered in Twilio's REST error shape:
 * {@code {"code": 20404, "message": "...", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}}.
 *
 * <p>Codes used, and how sure we are that real Twilio answers the same (see
 * <a href="https://www.twilio.com/docs/api/errors">the error dictionary</a>):
 * <ul>
 *   <li>20001 (400) missing or invalid parameter: real Twilio answers "Missing required parameter X in the
 *       post body" with 20001. For invalid values (bad JSON attributes, bad durations, bad enum values)
 *       Twilio's exact code is not documented; the emulator uses 20001 there too.</li>
 *   <li>20003 (401) "Authenticate": certain.</li>
 *   <li>20004 (405) method not allowed: fairly sure.</li>
 *   <li>20404 (404) resource not found: certain.</li>
 *   <li>20429 (429) too many requests, 20500 (500), 20503 (503): certain for 20429, fairly sure for the others;
 *       only produced by fault injection.</li>
 *   <li>50201 user already exists, 50307 chat channel unique name taken, 50353 conversation unique name
 *       taken, 50433 participant already exists: codes from the error dictionary; the HTTP status (409) is
 *       our best guess.</li>
 *   <li>50377 conversation is closed, 50384 a conversation can't be created closed: codes from the
 *       dictionary; status 400 is our best guess.</li>
 *   <li>50055 invalid webhook method, 50077 invalid pre-webhook URL, 50078 invalid post-webhook URL: codes the
 *       dictionary files under Programmable Chat; that Conversations' webhook configuration answers them (with
 *       400) is our guess.</li>
 *   <li>A change a pre-event webhook rejected: Twilio documents that "Conversations will reject the change", not
 *       what the REST client gets back. The emulator answers 400 / 20001 with a message naming the event and the
 *       webhook's status ({@link #rejectedByWebhook}).</li>
 * </ul>
 */
public final class TwilioError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int code;
    private final transient Map<String, String> headers;

    public TwilioError(int status, int code, String message) {
        this(status, code, message, Map.of());
    }

    private TwilioError(int status, int code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    /** The JSON body Twilio sends with an error. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", getMessage());
        body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        body.put("status", status);
        return body;
    }

    ApiResponse toResponse() {
        return new ApiResponse(status, body(), headers);
    }

    static TwilioError authenticate() {
        // Twilio challenges for Basic credentials like any HTTP API.
        return new TwilioError(401, 20003, "Authenticate", Map.of("WWW-Authenticate", "Basic realm=\"Twilio API\""));
    }

    public static TwilioError notFound(String resource) {
        return new TwilioError(404, 20404, "The requested resource " + resource + " was not found");
    }

    static TwilioError methodNotAllowed(String method, String resource) {
        return new TwilioError(405, 20004, "Method " + method + " not allowed on " + resource);
    }

    public static TwilioError missingParameter(String name) {
        return new TwilioError(400, 20001, "Missing required parameter " + name + " in the post body");
    }

    public static TwilioError invalidParameter(String name, String reason) {
        return new TwilioError(400, 20001, "Invalid " + name + ": " + reason);
    }

    public static TwilioError conflict(int code, String message) {
        return new TwilioError(409, code, message);
    }

    public static TwilioError conversationClosed(String conversationSid) {
        // TODO(uncertain): 50377 is the dictionary's "Conversation state is 'closed' so it can't be used for
        //  chatting anymore"; that real Twilio answers exactly this code (and status 400) when a message or
        //  participant is added to a closed conversation is our reading, not verified against the live API.
        return new TwilioError(400, 50377, "Can't update conversation " + conversationSid + " as it's in final closed state");
    }

    /**
     * A change the pre-event webhook {@code eventType} rejected by answering {@code webhookStatus}.
     * TODO(uncertain): Twilio's status and code here are undocumented (see the class comment).
     */
    public static TwilioError rejectedByWebhook(String eventType, int webhookStatus) {
        return new TwilioError(400, 20001, "Rejected by the " + eventType + " pre-event webhook, which answered HTTP "
                + webhookStatus);
    }

    /** A failure injected by a test; the message is the HTTP reason phrase, as Twilio's gateway answers. */
    static TwilioError injected(int status, int code) {
        return new TwilioError(status, code, reasonPhrase(status));
    }

    static TwilioError internal(String message) {
        return new TwilioError(500, 20500, "Internal Server Error: " + message);
    }

    private static String reasonPhrase(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Authenticate";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 409: return "Conflict";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Injected failure (HTTP " + status + ")";
        }
    }
}
