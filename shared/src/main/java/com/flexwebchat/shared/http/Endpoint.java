package com.flexwebchat.shared.http;

/** One route's business: a plain request in, a response out, errors thrown as {@link ApiError}. */
@FunctionalInterface
public interface Endpoint {

    HttpResponse handle(HttpRequest request);
}
