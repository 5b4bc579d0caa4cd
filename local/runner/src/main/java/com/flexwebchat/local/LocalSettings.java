package com.flexwebchat.local;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.harness.SamTemplate.EnvValue;
import com.flexwebchat.harness.SamTemplate.SamFunction;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a local run gives the functions: the process environment and {@code .env}, with
 * the Twilio emulator's account filled in when no real one is configured, and per function the
 * environment its template declares.
 */
public final class LocalSettings {

    /** The keys of twilio-webchat-react-app's {@code .env} that the functions read, and the local-only ones. */
    public static final List<String> CONFIG_KEYS = List.of(
            "ACCOUNT_SID", "AUTH_TOKEN", "API_KEY", "API_SECRET", "ADDRESS_SID", "CONVERSATIONS_SERVICE_SID",
            "ALLOWED_ORIGINS", "FLEX_FLOW_SID", "CHAT_SERVICE_SID", "TOKEN_TTL_SECONDS", "TWILIO_API_BASE_URL",
            "TWILIO_SECRET_ARN", "PUBLIC_BASE_URL", "ROUTING_FIELDS", "BUSINESS_HOURS", "BUSINESS_TIMEZONE", "HOLIDAYS",
            "MAX_MESSAGE_LENGTH", "TASKROUTER_WORKSPACE_SID", "DEFAULT_AGENT_NAME",
            // The abuse protections' settings, and the store's table, endpoint and credentials.
            "STORE_TABLE", "STORE_HASH_KEY", "RATE_LIMIT_CHATS_PER_IP", "RATE_LIMIT_CHATS_PER_ACCOUNT",
            "RATE_LIMIT_RENEWALS_PER_VISITOR", "RATE_LIMIT_ENDINGS_PER_VISITOR", "TRUST_X_FORWARDED_FOR",
            "DUPLICATE_SUBMIT_WINDOW", "BLOCK_LIST_REFRESH", "CAPTCHA_PROVIDER", "CAPTCHA_SECRET", "CAPTCHA_FIELD",
            "CAPTCHA_MIN_SCORE", "CAPTCHA_VERIFY_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            // Email (transcripts): the upstream .env's keys, SendGrid's base URL, and SES's endpoint (LocalMail).
            "FROM_EMAIL", "SENDGRID_API_KEY", "SENDGRID_API_BASE_URL", "AWS_ENDPOINT_URL_SESV2");

    /** What the emulator-backed local run allows when ALLOWED_ORIGINS is unset: the widget's dev server. */
    public static final String DEFAULT_LOCAL_ORIGIN = "http://localhost:3000";
    /** TwilioEmulatorMain's port, so a widget or script pointed at it finds the in-process one too. */
    public static final int DEFAULT_EMULATOR_PORT = 4010;

    private LocalSettings() {
    }

    /**
     * The process environment over {@code .env}. As the {@code dotenv} package does, a variable
     * that is already set in the environment wins over the file ("will not modify any environment
     * variables that have already been set"), so {@code ACCOUNT_SID=... ./run-local} overrides
     * the file for one run.
     */
    public static Map<String, String> merge(Map<String, String> processEnvironment, DotEnv dotEnv) {
        Map<String, String> merged = new LinkedHashMap<>(dotEnv.values());
        merged.putAll(processEnvironment);
        return merged;
    }

    /**
     * Where the functions' Twilio calls go.
     *
     * @param settings    the settings with the Twilio account filled in as needed
     * @param emulator    the emulator this run started, or null
     * @param description one line for the console, without secrets
     * @param testAccount the emulator's test account the functions use, or null with a real account
     */
    public record Twilio(Map<String, String> settings, TwilioEmulator emulator, String description,
                         EmulatorAccount testAccount) {
    }

    /**
     * With ACCOUNT_SID set: that account, at TWILIO_API_BASE_URL when set, else at Twilio.
     * Without it: the emulator's test account, at TWILIO_API_BASE_URL when set (an emulator run
     * separately), else at an emulator started here on {@code emulatorPort} (a free port when
     * that one is taken). In emulator mode ALLOWED_ORIGINS defaults to {@value #DEFAULT_LOCAL_ORIGIN}.
     */
    public static Twilio twilio(Map<String, String> settings, int emulatorPort) {
        Map<String, String> resolved = new LinkedHashMap<>(settings);
        if (isSet(settings, "ACCOUNT_SID")) {
            String account = mask(settings.get("ACCOUNT_SID").trim());
            String where = isSet(settings, "TWILIO_API_BASE_URL")
                    ? settings.get("TWILIO_API_BASE_URL").trim()
                    : "https://*.twilio.com";
            return new Twilio(resolved, null, where + " (account " + account + ")", null);
        }

        EmulatorAccount account = EmulatorAccount.defaults();
        TwilioEmulator emulator = null;
        String baseUrl;
        String description;
        if (isSet(settings, "TWILIO_API_BASE_URL")) {
            baseUrl = settings.get("TWILIO_API_BASE_URL").trim();
            description = "emulator at " + baseUrl + " (test account " + mask(account.accountSid()) + ")";
        } else {
            emulator = startEmulator(emulatorPort);
            baseUrl = emulator.baseUrl();
            description = "emulator at " + baseUrl + " (started here; test account " + mask(account.accountSid()) + ")";
        }
        resolved.put("ACCOUNT_SID", account.accountSid());
        resolved.put("AUTH_TOKEN", account.authToken());
        resolved.put("API_KEY", account.apiKey());
        resolved.put("API_SECRET", account.apiSecret());
        resolved.put("TWILIO_API_BASE_URL", baseUrl);
        resolved.put("TASKROUTER_WORKSPACE_SID", account.taskrouterWorkspaceSid());
        resolved.remove("TWILIO_SECRET_ARN");
        if (isSet(settings, "FLEX_FLOW_SID")) {
            // Legacy Programmable Chat mode, against the emulator's Flex Flow and Chat service.
            resolved.put("FLEX_FLOW_SID", account.flexFlowSid());
            resolved.put("CHAT_SERVICE_SID", account.chatServiceSid());
            resolved.put("CONVERSATIONS_SERVICE_SID", account.conversationsServiceSid());
            resolved.remove("ADDRESS_SID");
            description += ", legacy Flex Flow mode";
        } else {
            resolved.put("ADDRESS_SID", account.addressSid());
            resolved.put("CONVERSATIONS_SERVICE_SID", account.conversationsServiceSid());
            resolved.remove("FLEX_FLOW_SID");
            resolved.remove("CHAT_SERVICE_SID");
        }
        if (!isSet(settings, "ALLOWED_ORIGINS")) {
            resolved.put("ALLOWED_ORIGINS", DEFAULT_LOCAL_ORIGIN);
        }
        return new Twilio(resolved, emulator, description, account);
    }

    /** An emulator on {@code port}, or on a free port when that one is taken (0 always picks a free one). */
    public static TwilioEmulator startEmulator(int port) {
        try {
            return TwilioEmulator.start(port);
        } catch (UncheckedIOException busy) {
            if (port == 0) {
                throw busy;
            }
            return TwilioEmulator.start(0);
        }
    }

    /**
     * A function's environment, as {@code sam local invoke --env-vars} builds it: every variable
     * the template declares for it (Globals merged), valued from the local settings when they have
     * the key, else the template's literal, else the default of the parameter a {@code !Ref}
     * names; variables left without a value are absent. The {@link #CONFIG_KEYS} the settings
     * carry are added even when the template does not declare them (TWILIO_API_BASE_URL, for one,
     * is local-only), and the variables Lambda itself sets that a handler might read.
     */
    public static Map<String, String> functionEnvironment(SamTemplate template, SamFunction function,
                                                          Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, EnvValue> variable : function.environment().entrySet()) {
            String name = variable.getKey();
            EnvValue value = variable.getValue();
            String resolved;
            if (settings.containsKey(name)) {
                resolved = settings.get(name);
            } else if (value.isLiteral()) {
                resolved = value.literal();
            } else if (value.parameter() != null) {
                resolved = template.parameterDefaults().get(value.parameter());
            } else {
                resolved = null;
            }
            if (resolved != null) {
                env.put(name, resolved);
            }
        }
        for (String key : CONFIG_KEYS) {
            if (settings.containsKey(key)) {
                env.put(key, settings.get(key));
            }
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_REGION", settings.getOrDefault("AWS_REGION", "us-east-1"));
        return env;
    }

    /** Blank counts as unset, as WebChatConfig (and dotenv's {@code KEY=}) treat it. */
    public static boolean isSet(Map<String, String> settings, String key) {
        String value = settings.get(key);
        return value != null && !value.isBlank();
    }

    /** {@code AC…cdef}: enough to tell accounts apart on a console, not the whole SID. */
    public static String mask(String sid) {
        if (sid.length() <= 6) {
            return "…";
        }
        return sid.substring(0, 2) + "…" + sid.substring(sid.length() - 4);
    }
}
