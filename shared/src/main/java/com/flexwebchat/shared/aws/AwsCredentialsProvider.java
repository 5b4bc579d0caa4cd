package com.flexwebchat.shared.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The function's AWS credentials for calls made on every request: resolved once, and again a few
 * minutes before the container endpoint's credentials expire (a SnapStart function's kind), or
 * after a restore ({@link #refresh()}), as the AWS SDKs do.
 */
public final class AwsCredentialsProvider {

    /** Fetched again this long before they expire. */
    static final Duration EARLY = Duration.ofMinutes(5);

    private final Map<String, String> env;
    private final Clock clock;
    private volatile AwsCredentials current;

    public AwsCredentialsProvider(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public AwsCredentials current() {
        AwsCredentials credentials = current;
        if (credentials == null || (credentials.expiration() != null
                && clock.instant().isAfter(credentials.expiration().minus(EARLY)))) {
            synchronized (this) {
                credentials = current;
                if (credentials == null || (credentials.expiration() != null
                        && clock.instant().isAfter(credentials.expiration().minus(EARLY)))) {
                    credentials = AwsCredentials.resolve(env);
                    current = credentials;
                }
            }
        }
        return credentials;
    }

    /** Forgets what it holds: after a SnapStart restore the snapshot's credentials may be stale. */
    public void refresh() {
        current = null;
    }
}
