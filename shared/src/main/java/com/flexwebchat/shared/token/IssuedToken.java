package com.flexwebchat.shared.token;

import java.time.Instant;

/** A signed access token and when it stops working: what the widget stores. */
public record IssuedToken(String jwt, String identity, Instant expiresAt) {

    @Override
    public String toString() {
        return "IssuedToken[identity=" + identity + ", expiresAt=" + expiresAt + "]";
    }
}
