package com.flexwebchat.shared.protection;

import com.flexwebchat.shared.http.HttpRequest;

/**
 * Where a browser request comes from: API Gateway's {@code requestContext.http.sourceIp}, the
 * address that connected to it, which a client cannot choose. Behind CloudFront that address is
 * CloudFront's; with TRUST_X_FORWARDED_FOR the client is then the last address of
 * {@code X-Forwarded-For}, the one CloudFront appended for the viewer it served: everything left of
 * it is whatever the client sent and is ignored
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorCustomOrigin.html#request-custom-headers-behavior).
 * Only trust it when the API is reachable through CloudFront alone.
 */
public final class ClientAddress {

    private final boolean trustXForwardedFor;

    public ClientAddress(boolean trustXForwardedFor) {
        this.trustXForwardedFor = trustXForwardedFor;
    }

    /** The client's address as text, or null when the request carries none. */
    public String of(HttpRequest request) {
        if (trustXForwardedFor) {
            String forwarded = request.header("x-forwarded-for");
            if (forwarded != null && !forwarded.isBlank()) {
                String[] hops = forwarded.split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty()) {
                    return last;
                }
            }
        }
        return request.sourceIp();
    }
}
