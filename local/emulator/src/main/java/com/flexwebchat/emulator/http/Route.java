package com.flexwebchat.emulator.http;

/** One operation of the emulated API: an HTTP method on a path template, and what it does. */
public record Route(String method, PathTemplate template, Handler handler) {

    /** Carries out an operation; throws {@link TwilioError} for answers in Twilio's error shape. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }
}
