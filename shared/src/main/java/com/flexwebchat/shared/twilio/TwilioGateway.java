package com.flexwebchat.shared.twilio;

import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.log.Log;
import com.twilio.base.Page;
import com.twilio.base.Reader;
import com.twilio.base.Resource;
import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way our code calls Twilio: the SDK's REST client over {@link TwilioTransport}, built
 * once per cold start. The client exists only inside a call ({@link #call}, {@link #find},
 * {@link #list}), and whatever goes wrong inside one comes out as a {@link TwilioFailure}, which the
 * HTTP layer answers 502 or 504: Twilio's error answers ({@code ApiException}), answers the SDK
 * cannot read (a cut body is an {@code ApiException} for a single resource but an
 * {@code ApiConnectionException} for a list page; a body of the wrong shape fails inside the SDK
 * with whatever Jackson or the SDK throw), the SDK's other exceptions
 * ({@code AuthenticationException}, {@code CertificateValidationException},
 * {@code InvalidRequestException}: every {@code TwilioException}), and no answer
 * ({@link TwilioUnavailable} from the transport: a timeout, a refused or dropped connection).
 * Everything a call reads is read inside it: a lazily paged {@code ResourceSet} is refused, since
 * its later pages would be fetched where no failure is mapped; {@link #list} reads a page,
 * {@link #listAll} pages up to a limit.
 *
 * <p>Twilio's status and error code are logged, and the SDK exception's class; never its message,
 * which can carry Twilio's answer and so what we sent.
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
                return Optional.of(present(operation, call.apply(client)));
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
     * Reads one page of a list, inside the call: {@code page} is the reader's
     * {@code firstPage(client)} (with the page size the caller needs). The records come back as a
     * list; an unreadable page (or record) is a {@link TwilioFailure} like any other.
     */
    public <T> List<T> list(String operation, Function<TwilioRestClient, Page<T>> page) {
        return call(operation, client -> List.copyOf(present(operation, page.apply(client)).getRecords()));
    }

    /**
     * Some of a list's records, and whether they are all of them.
     *
     * @param complete false when the list has more than were read (the limit was reached)
     */
    public record Listed<T>(List<T> records, boolean complete) {
    }

    /**
     * Reads a list page by page, inside one call, up to {@code atMost} records: {@code reader} with the page size
     * and order the caller needs, its first page and each next one fetched here, each request bounded by the
     * invocation's deadline like any other. An unreadable page fails the whole read, as a {@link TwilioFailure}.
     */
    public <T extends Resource> Listed<T> listAll(String operation, Reader<T> reader, int atMost) {
        if (atMost < 1) {
            throw new IllegalArgumentException("read at least one record: " + atMost);
        }
        return call(operation, client -> {
            List<T> records = new ArrayList<>();
            Page<T> page = present(operation, reader.firstPage(client));
            while (true) {
                List<T> onPage = present(operation, page.getRecords());
                for (T record : onPage) {
                    if (records.size() == atMost) {
                        return new Listed<>(List.copyOf(records), false);
                    }
                    records.add(record);
                }
                if (!page.hasNextPage()) {
                    return new Listed<>(List.copyOf(records), true);
                }
                if (records.size() == atMost || onPage.isEmpty()) {
                    // More are listed; an empty page that still names a next one would never end.
                    return new Listed<>(List.copyOf(records), false);
                }
                page = present(operation, reader.nextPage(page, client));
            }
        });
    }

    /** The transport, for {@link ConversationMedia}: the files it fetches go through the same client and rules. */
    TwilioTransport transport() {
        return transport;
    }

    /**
     * Runs one Twilio operation: everything it does with the client, and everything it reads,
     * happens here. It must answer something (a resource, a page's records): an answer read as
     * nothing is unreadable.
     *
     * @param operation what is being done, for the log ("create web chat")
     * @throws TwilioFailure whatever went wrong at Twilio, on the way, or in reading the answer
     */
    public <T> T call(String operation, Function<TwilioRestClient, T> call) {
        T result;
        String outer = TwilioTransport.OPERATION.get();
        TwilioTransport.OPERATION.set(operation); // each HTTP call is counted under it (the access line's slowest call)
        try {
            result = present(operation, call.apply(client));
        } catch (TwilioFailure e) {
            throw e;
        } catch (TwilioUnavailable e) {
            Log.error("Twilio call timed out", "operation", operation, "reason", e.getMessage());
            throw TwilioFailure.noAnswer(operation, e);
        } catch (ApiException e) {
            if (e.getStatusCode() == null) {
                // What the SDK throws for a body it could not parse, success or error: no status of Twilio's.
                Log.error("Twilio's answer could not be read", "operation", operation, "exception", e.getClass().getName());
                throw TwilioFailure.unreadableAnswer(operation, e);
            }
            Log.error("Twilio call failed", "operation", operation,
                    "twilioStatus", e.getStatusCode(), "twilioCode", e.getCode());
            throw TwilioFailure.errorAnswer(operation, e.getStatusCode(), e.getCode(), e);
        } catch (RuntimeException e) {
            // Every other TwilioException (ApiConnectionException for a list page it could not parse,
            // AuthenticationException, CertificateValidationException, InvalidRequestException) and
            // whatever the SDK or Jackson throw on an answer of the wrong shape (a NullPointerException
            // for a page without its records, an UncheckedIOException): the call failed, whatever the class.
            Log.error("Twilio's answer could not be read", "operation", operation, "exception", e.getClass().getName());
            throw TwilioFailure.unreadableAnswer(operation, e);
        } finally {
            if (outer == null) {
                TwilioTransport.OPERATION.remove();
            } else {
                TwilioTransport.OPERATION.set(outer);
            }
        }
        if (result instanceof ResourceSet<?>) {
            // Our bug, not Twilio's: its later pages would be read outside this call.
            throw new IllegalStateException("a ResourceSet reads its pages lazily, outside the call; use TwilioGateway.list to "
                    + operation);
        }
        return result;
    }

    /** The answer, when it is one: not null, and not a list with a null in it (a page's {@code [null]}). */
    private static <T> T present(String operation, T answer) {
        if (answer == null || answer instanceof Collection<?> records && records.stream().anyMatch(Objects::isNull)) {
            throw TwilioFailure.incompleteAnswer(operation, "resource");
        }
        return answer;
    }
}
