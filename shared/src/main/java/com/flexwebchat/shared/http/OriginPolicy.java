package com.flexwebchat.shared.http;

import com.flexwebchat.shared.log.Log;
import java.util.Set;

/**
 * Only pages on ALLOWED_ORIGINS may call the browser routes, as the Express server's
 * validateRequestOriginMiddleware enforces. An empty list refuses everything (fail closed)
 * instead of silently letting every site mint tokens on the account.
 */
public final class OriginPolicy {

    private final Set<String> allowed;

    public OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** @return the origin, when allowed; otherwise throws a 403 */
    public String check(String origin) {
        if (allowed.isEmpty()) {
            Log.error("ALLOWED_ORIGINS is empty, so every request is refused; set it to the origins of the pages that host the widget");
            throw ApiError.forbidden("origin_not_allowed", "This origin may not use the web chat");
        }
        if (origin == null || !allowed.contains(origin)) {
            Log.warn("Request origin refused", "origin", origin == null ? "(none)" : origin);
            throw ApiError.forbidden("origin_not_allowed", "This origin may not use the web chat");
        }
        return origin;
    }
}
