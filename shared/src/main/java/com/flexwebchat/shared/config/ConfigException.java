package com.flexwebchat.shared.config;

/** A setting is missing or malformed. Thrown at cold start, so the function fails to initialise with a message naming the key. */
public final class ConfigException extends IllegalStateException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
