package com.flexwebchat.shared.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every setting, read and validated once per cold start. The keys are those of
 * twilio-webchat-react-app's {@code .env}, so an existing file works unchanged. This is the only
 * place that reads the environment.
 *
 * @param addressSid         the Flex conversations address ({@code IG...}); null in legacy mode
 * @param flexFlowSid        legacy Flex Flow ({@code FO...}); set only in legacy mode
 * @param chatServiceSid     legacy Programmable Chat service; set only in legacy mode
 * @param twilioApiBaseUrl   when set, {@code https://{sub}.twilio.com{path}} goes to {@code {base}/{sub}{path}}
 * @param publicBaseUrl      when set, the public URL before the routes, which Twilio signs webhooks with
 */
public record WebChatConfig(
        String accountSid,
        String authToken,
        String apiKey,
        String apiSecret,
        String addressSid,
        String conversationsServiceSid,
        String flexFlowSid,
        String chatServiceSid,
        Set<String> allowedOrigins,
        Duration tokenTtl,
        URI twilioApiBaseUrl,
        URI publicBaseUrl,
        Webhooks webhooks,
        Endings endings,
        Protections protections,
        Transcripts transcripts,
        Mail mail) {

    /**
     * How chats end.
     *
     * @param agentEndedMessage what the visitor reads when the agent ends the chat (AGENT_ENDED_MESSAGE)
     * @param abandonedMessage  what the visitor reads when the chat closes unanswered or abandoned (ABANDONED_MESSAGE)
     * @param customerLeftMessage what the agent reads when the visitor ends the chat
     * @param closeAfter        the conversation's closed timer (CLOSE_AFTER, ISO-8601, default P1D)
     * @param inactiveAfter     its inactive timer (INACTIVE_AFTER), or null
     */
    public record Endings(String agentEndedMessage, String abandonedMessage, String customerLeftMessage,
                          Duration closeAfter, Duration inactiveAfter) {

        public static final String DEFAULT_AGENT_ENDED_MESSAGE = "The agent has ended the chat. Thank you for contacting us!";
        public static final String DEFAULT_ABANDONED_MESSAGE =
                "This chat has been closed. If you still need help, please start a new chat.";
        public static final String CUSTOMER_LEFT_MESSAGE = "The customer has left the chat";
        public static final Duration DEFAULT_CLOSE_AFTER = Duration.ofDays(1);
        /** Conversations' documented minimums (https://www.twilio.com/docs/conversations/states-timers). */
        static final Duration MIN_CLOSE_AFTER = Duration.ofMinutes(10);
        static final Duration MIN_INACTIVE_AFTER = Duration.ofMinutes(1);
    }


    /**
     * What the webhook functions need beyond the chat settings.
     *
     * @param routingFields          form fields copied into the Flex task's attributes (ROUTING_FIELDS)
     * @param businessHours          BUSINESS_HOURS as written, or null (always open); the Studio function reads it
     * @param businessTimezone       BUSINESS_TIMEZONE as written, or null
     * @param holidays               HOLIDAYS as written, or null
     * @param maxMessageLength       the longest message a visitor may send (MAX_MESSAGE_LENGTH, default 2,000)
     * @param taskrouterWorkspaceSid the Flex TaskRouter workspace (TASKROUTER_WORKSPACE_SID), or null
     * @param defaultAgentName       the name shown for an agent whose worker has no public identity (DEFAULT_AGENT_NAME)
     */
    public record Webhooks(List<String> routingFields, String businessHours, String businessTimezone, String holidays,
                           int maxMessageLength, String taskrouterWorkspaceSid, String defaultAgentName) {

        public static final int DEFAULT_MAX_MESSAGE_LENGTH = 2_000;
        public static final String DEFAULT_AGENT_NAME = "Agent";

        public Webhooks {
            routingFields = List.copyOf(routingFields);
        }
    }


    /**
     * Sending email (transcripts, {@code shared.mail.Mailers}): the keys of the upstream server's {@code .env}.
     *
     * @param fromAddress        FROM_EMAIL's address, or null when unset (nothing can be sent)
     * @param fromName           FROM_EMAIL's display name when it is written {@code Name <address>}, else null
     * @param sendGridApiKey     SENDGRID_API_KEY (in the secret when deployed): SendGrid sends; null: Amazon SES does
     * @param sendGridApiBaseUrl SENDGRID_API_BASE_URL, default {@value #DEFAULT_SENDGRID_API_BASE_URL}
     */
    public record Mail(String fromAddress, String fromName, String sendGridApiKey, URI sendGridApiBaseUrl) {

        public static final String DEFAULT_SENDGRID_API_BASE_URL = "https://api.sendgrid.com";
        /** {@code local@domain} with no space, angle bracket or second {@code @}: what a provider can be asked to verify. */
        private static final Pattern ADDRESS = Pattern.compile("[^\\s<>@\"]+@[^\\s<>@\"]+");
        private static final Pattern NAMED = Pattern.compile("\\s*(?:\"([^\"]*)\"|([^<\"]*?))\\s*<([^<>]+)>\\s*");

        /** Whether FROM_EMAIL is set, so email can be sent. */
        public boolean configured() {
            return fromAddress != null;
        }

        /** Never print the API key. */
        @Override
        public String toString() {
            return "Mail[from=" + (fromAddress == null ? "unset" : "set") + ", provider="
                    + (sendGridApiKey == null ? "ses" : "sendgrid " + sendGridApiBaseUrl) + "]";
        }
    }

    /** Flex's own web chat tokens live an hour. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
    /** Twilio refuses access tokens that live longer than 24 hours. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofHours(24);

    private static final Pattern SECRET_ARN = Pattern.compile("^arn:aws[a-z-]*:secretsmanager:.+");

    public WebChatConfig {
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** Legacy Flex Flow mode: chats are Programmable Chat channels from {@code /v1/WebChannels}. */
    public boolean legacy() {
        return flexFlowSid != null;
    }

    /** The Chat service the visitor's token grants: the Conversations service, or in legacy mode the Chat service. */
    public String grantedChatServiceSid() {
        return legacy() ? chatServiceSid : conversationsServiceSid;
    }

    /** Loads from the process environment; secrets from Secrets Manager when {@code TWILIO_SECRET_ARN} is set. */
    public static WebChatConfig fromEnvironment() {
        Map<String, String> env = ProcessEnvironment.get();
        return from(env, new SecretsManagerSecrets(env));
    }

    public static WebChatConfig from(Map<String, String> env, SecretSource secrets) {
        Settings settings = new Settings(env);
        String secretArn = settings.optional("TWILIO_SECRET_ARN");
        String authToken;
        String apiSecret;
        Settings secretSettings;
        if (secretArn != null) {
            if (!SECRET_ARN.matcher(secretArn).matches()) {
                throw new ConfigException("TWILIO_SECRET_ARN must be a Secrets Manager ARN");
            }
            Settings secret = new Settings(secrets.read(secretArn));
            authToken = secret.required("AUTH_TOKEN", "a key of the secret named by TWILIO_SECRET_ARN");
            apiSecret = secret.required("API_SECRET", "a key of the secret named by TWILIO_SECRET_ARN");
            secretSettings = secret;
        } else {
            authToken = settings.required("AUTH_TOKEN", "your Twilio auth token");
            apiSecret = settings.required("API_SECRET", "the secret of API_KEY");
            secretSettings = settings;
        }

        String addressSid = settings.sid("ADDRESS_SID", "IG");
        String flexFlowSid = settings.sid("FLEX_FLOW_SID", "FO");
        String chatServiceSid = null;
        String conversationsServiceSid;
        if (addressSid != null && flexFlowSid != null) {
            throw new ConfigException("Set ADDRESS_SID (Flex Conversations) or FLEX_FLOW_SID (legacy Programmable Chat), not both");
        }
        if (addressSid == null && flexFlowSid == null) {
            throw new ConfigException("ADDRESS_SID is required: the SID (IG...) of your Flex web chat address"
                    + " (or FLEX_FLOW_SID with CHAT_SERVICE_SID for legacy Programmable Chat)");
        }
        if (flexFlowSid != null) {
            chatServiceSid = settings.requiredSid("CHAT_SERVICE_SID", "IS", "legacy mode (FLEX_FLOW_SID) needs the Programmable Chat service SID");
            conversationsServiceSid = settings.sid("CONVERSATIONS_SERVICE_SID", "IS");
        } else {
            conversationsServiceSid = settings.requiredSid("CONVERSATIONS_SERVICE_SID", "IS", "the SID (IS...) of the Flex Conversations service");
        }

        return new WebChatConfig(
                settings.requiredSid("ACCOUNT_SID", "AC", "your Twilio account SID (AC...)"),
                authToken,
                settings.requiredSid("API_KEY", "SK", "the SID (SK...) of a Twilio API key"),
                apiSecret,
                addressSid,
                conversationsServiceSid,
                flexFlowSid,
                chatServiceSid,
                origins(settings.optional("ALLOWED_ORIGINS")),
                tokenTtl(settings.optional("TOKEN_TTL_SECONDS")),
                url("TWILIO_API_BASE_URL", settings.optional("TWILIO_API_BASE_URL")),
                url("PUBLIC_BASE_URL", settings.optional("PUBLIC_BASE_URL")),
                webhooks(settings),
                endings(settings),
                Protections.from(settings::optional, secretSettings::optional, apiSecret),
                Transcripts.from(settings::optional),
                mail(settings, secretSettings));
    }

    /** FROM_EMAIL as {@code address} or {@code Name <address>}; SENDGRID_API_KEY from the secret when there is one. */
    private static Mail mail(Settings settings, Settings secrets) {
        String from = settings.optional("FROM_EMAIL");
        String address = null;
        String name = null;
        if (from != null) {
            java.util.regex.Matcher named = Mail.NAMED.matcher(from);
            if (named.matches()) {
                name = named.group(1) != null ? named.group(1).strip() : named.group(2).strip();
                address = named.group(3).strip();
            } else {
                address = from;
            }
            if (!Mail.ADDRESS.matcher(address).matches() || from.chars().anyMatch(Character::isISOControl)) {
                throw new ConfigException("FROM_EMAIL must be an email address such as transcripts@example.com, or"
                        + " Support <transcripts@example.com>; got '" + from + "'");
            }
        }
        String baseUrl = settings.optional("SENDGRID_API_BASE_URL");
        return new Mail(address, name == null || name.isEmpty() ? null : name, secrets.optional("SENDGRID_API_KEY"),
                url("SENDGRID_API_BASE_URL", baseUrl == null ? Mail.DEFAULT_SENDGRID_API_BASE_URL : baseUrl));
    }

    private static Webhooks webhooks(Settings settings) {
        String fields = settings.optional("ROUTING_FIELDS");
        List<String> routingFields = fields == null ? List.of() : Arrays.stream(fields.split(","))
                .map(String::trim).filter(f -> !f.isEmpty()).toList();
        String maxLength = settings.optional("MAX_MESSAGE_LENGTH");
        int maxMessageLength = Webhooks.DEFAULT_MAX_MESSAGE_LENGTH;
        if (maxLength != null) {
            try {
                maxMessageLength = Integer.parseInt(maxLength);
            } catch (NumberFormatException e) {
                maxMessageLength = -1;
            }
            if (maxMessageLength < 1 || maxMessageLength > 32_768) {
                // 32 KB is the Conversations message body limit (https://www.twilio.com/docs/conversations/api/conversation-message-resource).
                throw new ConfigException("MAX_MESSAGE_LENGTH must be a number of characters from 1 to 32768");
            }
        }
        String agentName = settings.optional("DEFAULT_AGENT_NAME");
        return new Webhooks(routingFields,
                settings.optional("BUSINESS_HOURS"), settings.optional("BUSINESS_TIMEZONE"), settings.optional("HOLIDAYS"),
                maxMessageLength,
                settings.sid("TASKROUTER_WORKSPACE_SID", "WS"),
                agentName == null ? Webhooks.DEFAULT_AGENT_NAME : agentName);
    }

    private static Endings endings(Settings settings) {
        String agentEnded = settings.optional("AGENT_ENDED_MESSAGE");
        String abandoned = settings.optional("ABANDONED_MESSAGE");
        Duration closeAfter = duration(settings, "CLOSE_AFTER", Endings.MIN_CLOSE_AFTER);
        Duration inactiveAfter = duration(settings, "INACTIVE_AFTER", Endings.MIN_INACTIVE_AFTER);
        if (inactiveAfter != null && closeAfter != null && inactiveAfter.compareTo(closeAfter) >= 0) {
            throw new ConfigException("INACTIVE_AFTER must be shorter than CLOSE_AFTER");
        }
        return new Endings(agentEnded == null ? Endings.DEFAULT_AGENT_ENDED_MESSAGE : agentEnded,
                abandoned == null ? Endings.DEFAULT_ABANDONED_MESSAGE : abandoned,
                Endings.CUSTOMER_LEFT_MESSAGE,
                closeAfter == null ? Endings.DEFAULT_CLOSE_AFTER : closeAfter,
                inactiveAfter);
    }

    /** An ISO-8601 duration such as {@code P1D} or {@code PT30M}, at least {@code minimum}; null when unset. */
    private static Duration duration(Settings settings, String key, Duration minimum) {
        String value = settings.optional(key);
        if (value == null) {
            return null;
        }
        Duration duration;
        try {
            duration = Duration.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(key + " must be an ISO-8601 duration such as P1D or PT30M, got '" + value + "'");
        }
        if (duration.compareTo(minimum) < 0) {
            throw new ConfigException(key + " must be at least " + minimum + " (Conversations' minimum for this timer)");
        }
        return duration;
    }

    private static Set<String> origins(String value) {
        if (value == null) {
            return Set.of();
        }
        return Set.copyOf(Arrays.stream(value.split(","))
                .map(String::trim)
                .map(origin -> origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin)
                .filter(origin -> !origin.isEmpty())
                .toList());
    }

    private static Duration tokenTtl(String value) {
        if (value == null) {
            return DEFAULT_TOKEN_TTL;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("TOKEN_TTL_SECONDS must be a whole number of seconds, got '" + value + "'");
        }
        if (seconds < 60 || seconds > MAX_TOKEN_TTL.toSeconds()) {
            throw new ConfigException("TOKEN_TTL_SECONDS must be between 60 and " + MAX_TOKEN_TTL.toSeconds()
                    + " (Twilio's limit for access tokens)");
        }
        return Duration.ofSeconds(seconds);
    }

    private static URI url(String key, String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " is not a URL: " + value);
        }
        if (!List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null) {
            throw new ConfigException(key + " must be an http(s) URL without a query, such as https://chat.example.com");
        }
        return uri;
    }

    /** Reads one key at a time; blank values count as unset, as dotenv treats {@code KEY=}. */
    private record Settings(Map<String, String> values) {

        String optional(String key) {
            String value = values.get(key);
            return value == null || value.isBlank() ? null : value.trim();
        }

        String required(String key, String what) {
            String value = optional(key);
            if (value == null) {
                throw new ConfigException(key + " is required: " + what);
            }
            return value;
        }

        String sid(String key, String prefix) {
            String value = optional(key);
            if (value != null && !value.matches(prefix + "[0-9a-fA-F]{32}")) {
                throw new ConfigException(key + " must be a Twilio SID starting with " + prefix
                        + " followed by 32 hex characters");
            }
            return value;
        }

        String requiredSid(String key, String prefix, String what) {
            required(key, what);
            return sid(key, prefix);
        }
    }

    /** Never print the secrets, even by accident. */
    @Override
    public String toString() {
        return "WebChatConfig[accountSid=" + accountSid + ", apiKey=" + apiKey + ", addressSid=" + addressSid
                + ", conversationsServiceSid=" + conversationsServiceSid + ", flexFlowSid=" + flexFlowSid
                + ", chatServiceSid=" + chatServiceSid + ", allowedOrigins=" + allowedOrigins
                + ", tokenTtl=" + tokenTtl + ", twilioApiBaseUrl=" + twilioApiBaseUrl + ", publicBaseUrl=" + publicBaseUrl + ", webhooks=" + webhooks + ", endings=" + endings + ", protections=" + protections + ", mail=" + mail + "]";
    }
}
