package com.flexwebchat.shared.testing;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.config.WebChatConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment a function sees when pointed at the Twilio emulator: the keys of the Express
 * server's .env with the emulator's account, as {@code ./run-local} sets them.
 */
public final class EmulatedTwilio {

    public static final String ORIGIN = "http://localhost:3000";

    private EmulatedTwilio() {
    }

    public static Map<String, String> environment(TwilioEmulator emulator) {
        EmulatorAccount account = EmulatorAccount.defaults();
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_SID", account.accountSid());
        env.put("AUTH_TOKEN", account.authToken());
        env.put("API_KEY", account.apiKey());
        env.put("API_SECRET", account.apiSecret());
        env.put("ADDRESS_SID", account.addressSid());
        env.put("CONVERSATIONS_SERVICE_SID", account.conversationsServiceSid());
        env.put("ALLOWED_ORIGINS", ORIGIN);
        env.put("TWILIO_API_BASE_URL", emulator.baseUrl());
        return env;
    }

    /** Legacy Programmable Chat: a Flex Flow instead of an address. */
    public static Map<String, String> legacyEnvironment(TwilioEmulator emulator) {
        EmulatorAccount account = EmulatorAccount.defaults();
        Map<String, String> env = environment(emulator);
        env.remove("ADDRESS_SID");
        env.put("FLEX_FLOW_SID", account.flexFlowSid());
        env.put("CHAT_SERVICE_SID", account.chatServiceSid());
        return env;
    }

    public static WebChatRuntime runtime(Map<String, String> env, Clock clock) {
        return WebChatRuntime.create(WebChatConfig.from(env, arn -> {
            throw new AssertionError("tests configure secrets directly");
        }), clock);
    }
}
