/**
 * Twilio's REST API as the emulator serves it, whatever the product: the JDK HTTP server ({@code ApiServer}) and
 * what each exchange goes through ({@code Dispatcher}: injected delay, Basic authentication by
 * {@code Credentials}, injected failure from {@code Faults}, the routed operation under the {@code StateLock},
 * the {@code Journal}); routing ({@code Router}, {@code Route}, {@code PathTemplate}); requests and responses
 * ({@code ApiRequest}, {@code ApiResponse}, {@code TwilioError} in Twilio's error shape); and Twilio's conventions
 * that every product renders with: form and JSON codecs, list pages ({@code Paging}), SIDs, dates and public URLs.
 */
package com.flexwebchat.emulator.http;
