package com.flexwebchat.agentended;

import com.twilio.exception.ApiException;

/** Twilio's 404 (error 20404): an answer about the resource, not a failure of Twilio's. */
final class NotFound {

    private NotFound() {
    }

    static boolean is(ApiException e) {
        Integer status = e.getStatusCode() != null ? e.getStatusCode() : e.getHttpStatusCode();
        return status != null && status == 404;
    }
}
