package com.flexwebchat.emulator.testing;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.http.FormCodec;
import com.twilio.base.Resource;
import com.twilio.http.TwilioRestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Ways tests talk to an emulator: the real twilio-java SDK, or plain HTTP for what the SDK won't send. */
public final class Clients {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Clients() {
    }

    /** The SDK, authenticated with the account SID and auth token. */
    public static TwilioRestClient sdk(TwilioEmulator emulator) {
        EmulatorAccount account = emulator.account();
        return sdk(emulator, account.accountSid(), account.authToken());
    }

    /** The SDK with the given Basic credentials, for the emulator's account. */
    public static TwilioRestClient sdk(TwilioEmulator emulator, String username, String password) {
        return new TwilioRestClient.Builder(username, password)
                .accountSid(emulator.account().accountSid())
                .httpClient(new EmulatorHttpClient(emulator.baseUrl()))
                .build();
    }

    /** All the records a reader returns, following every page. */
    public static <T extends Resource> List<T> list(Iterable<T> resources) {
        List<T> result = new ArrayList<>();
        resources.forEach(result::add);
        return result;
    }

    /** A raw request with the account's credentials; {@code form} is sent form-encoded when not empty. */
    public static HttpResponse<String> raw(TwilioEmulator emulator, String method, String pathAndQuery,
                                           Map<String, List<String>> form) {
        EmulatorAccount account = emulator.account();
        return raw(emulator, method, pathAndQuery, form, account.accountSid() + ":" + account.authToken());
    }

    /**
     * A file sent as the raw body with its own {@code Content-Type} (an MCS upload), with the given Basic
     * credentials ({@code null} for none); the answer as bytes.
     */
    public static HttpResponse<byte[]> upload(TwilioEmulator emulator, String pathAndQuery, String contentType,
                                              byte[] content, String userAndPassword) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, userAndPassword, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * A GET of a Twilio URL ({@code https://{sub}.twilio.com/...}, as resources link to it) or of a path on the
     * emulator, with the given Basic credentials ({@code null} for none); the answer as bytes.
     */
    public static HttpResponse<byte[]> get(TwilioEmulator emulator, String urlOrPath, String userAndPassword) {
        String target = urlOrPath.startsWith("https://")
                ? emulator.baseUrl() + "/" + urlOrPath.substring("https://".length()).replaceFirst("\\.twilio\\.com", "")
                : emulator.baseUrl() + urlOrPath;
        return send(HttpRequest.newBuilder(URI.create(target)).GET(), userAndPassword, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code AccountSid:AuthToken} of the emulator's account. */
    public static String accountCredentials(TwilioEmulator emulator) {
        return emulator.account().accountSid() + ":" + emulator.account().authToken();
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, String userAndPassword,
                                            HttpResponse.BodyHandler<T> body) {
        if (userAndPassword != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> raw(TwilioEmulator emulator, String method, String pathAndQuery,
                                           Map<String, List<String>> form, String userAndPassword) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery))
                .method(method, form.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(FormCodec.encode(form)))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (userAndPassword != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
