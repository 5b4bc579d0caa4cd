package com.flexwebchat.emulator.http;

/**
 * One operation of the emulated API: an HTTP method on a path template, and what it does.
 *
 * @param authenticated whether it takes Twilio's Basic credentials, as every REST operation does; false only for
 *                      what Twilio serves without them (a media file's pre-signed, time-limited URL)
 */
public record Route(String method, PathTemplate template, Handler handler, boolean authenticated) {

    /** Carries out an operation; throws {@link TwilioError} for answers in Twilio's error shape. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }
}
