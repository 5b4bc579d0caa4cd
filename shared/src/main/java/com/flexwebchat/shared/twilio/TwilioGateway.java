package com.flexwebchat.shared.twilio;

import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.log.Log;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way our code calls Twilio: the SDK's REST client over {@link TwilioTransport}, built
 * once per cold start, with Twilio's failures turned into {@link TwilioFailure}s (Twilio answered
 * with an error, or did not answer in time). Twilio's status and error code are logged; its
 * message is not, since it can echo what we sent.
 */
public final class TwilioGateway {

    /** No single Twilio call may take longer than this, whatever budget is left. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final String USER_AGENT = "flex-webchat-backend/1.0 (java)";

    private final TwilioRestClient client;
    private final TwilioTransport transport;

    private TwilioGateway(TwilioRestClient client, TwilioTransport transport) {
        this.client = client;
        this.transport = transport;
    }

    public static TwilioGateway connect(WebChatConfig config) {
        TwilioTransport transport = new TwilioTransport(
                () -> HttpClient.newBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                config.twilioApiBaseUrl(), CALL_TIMEOUT, USER_AGENT);
        return new TwilioGateway(new TwilioRestClient.Builder(config.accountSid(), config.authToken())
                .accountSid(config.accountSid())
                .httpClient(transport)
                .build(), transport);
    }

    /** See {@link TwilioTransport#answeringFrom}. */
    public void answeringFrom(Function<com.twilio.http.Request, com.twilio.http.Response> answers, Runnable work) {
        transport.answeringFrom(answers, work);
    }

    /** Fresh connections, for after a SnapStart restore (see {@link TwilioTransport#reconnect()}). */
    public void reconnect() {
        transport.reconnect();
    }

    /**
     * Reads something that may not be there: Twilio's 404 (error 20404) is an answer about the
     * resource, not a failure of Twilio's, so it comes back empty instead of as a 502.
     */
    public <T> Optional<T> find(String operation, Function<TwilioRestClient, T> call) {
        return call(operation, client -> {
            try {
                return Optional.ofNullable(call.apply(client));
            } catch (ApiException e) {
                Integer status = e.getStatusCode() != null ? e.getStatusCode() : e.getHttpStatusCode();
                if (status != null && status == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /**
     * Runs one Twilio operation.
     *
     * @param operation what is being done, for the log ("create web chat")
     */
    public <T> T call(String operation, Function<TwilioRestClient, T> call) {
        try {
            return call.apply(client);
        } catch (ApiException e) {
            Log.error("Twilio call failed", "operation", operation,
                    "twilioStatus", e.getStatusCode(), "twilioCode", e.getCode());
            throw TwilioFailure.errorAnswer(operation, e.getStatusCode(), e.getCode(), e);
        } catch (TwilioUnavailable e) {
            Log.error("Twilio call timed out", "operation", operation, "reason", e.getMessage());
            throw TwilioFailure.noAnswer(operation, e);
        }
    }
}
