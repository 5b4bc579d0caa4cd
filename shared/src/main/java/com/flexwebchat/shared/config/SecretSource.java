package com.flexwebchat.shared.config;

import java.util.Map;

/** Where AUTH_TOKEN and API_SECRET come from when {@code TWILIO_SECRET_ARN} is set. */
@FunctionalInterface
public interface SecretSource {

    /** The secret's key/value pairs (its SecretString is a JSON object). */
    Map<String, String> read(String secretArn);
}
