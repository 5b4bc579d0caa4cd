package com.flexwebchat.studio;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Requests as Studio's Make HTTP Request widget sends them, signed the way Twilio signs them (the
 * emulator's signer, with the account's auth token), shaped as API Gateway delivers them: form
 * bodies base64-encoded, JSON bodies with {@code bodySHA256} in the signed URL.
 */
final class StudioEvents {

    static final String PATH = "/webhooks/studio";
    static final String AUTH_TOKEN = EmulatorAccount.defaults().authToken();

    private StudioEvents() {
    }

    static Map<String, List<String>> form(String... keyValues) {
        return SignedWebhooks.form(keyValues);
    }

    static Map<String, String> headers(String contentType, String signature) {
        return SignedWebhooks.headers(contentType, signature);
    }

    /** A form post signed over {@code signed} and carrying {@code sent}. */
    static APIGatewayV2HTTPEvent formPost(Map<String, List<String>> signed, Map<String, List<String>> sent, String authToken) {
        return SignedWebhooks.formPost(PATH, signed, sent, authToken);
    }

    static APIGatewayV2HTTPEvent formPost(Map<String, List<String>> params) {
        return formPost(params, params, AUTH_TOKEN);
    }

    static APIGatewayV2HTTPEvent jsonPost(String body) {
        return SignedWebhooks.jsonPost(PATH, body, AUTH_TOKEN);
    }

    static APIGatewayV2HTTPResponse invoke(StudioWebhookHandler handler, APIGatewayV2HTTPEvent event) {
        return invoke(handler, event, Duration.ofSeconds(15));
    }

    static APIGatewayV2HTTPResponse invoke(StudioWebhookHandler handler, APIGatewayV2HTTPEvent event, Duration timeout) {
        APIGatewayV2HTTPResponse response = handler.handle(event, new LocalContext("StudioWebhookFunction", timeout));
        // What API Gateway receives goes through the Java runtime's serialiser: it must survive it.
        if (!HttpApiEvents.toJson(response).contains("\"statusCode\":" + response.getStatusCode())) {
            throw new AssertionError("the runtime could not serialise the response");
        }
        return response;
    }
}
