package com.flexwebchat.emulator;

import com.flexwebchat.emulator.http.Sids;

import java.util.Objects;

/**
 * The single Twilio account the emulator serves, with the pre-provisioned Flex resources our Lambdas use.
 *
 * <p>{@link #defaults()} gives fixed <b>test and development values</b>; they are not real credentials and
 * work only against the emulator:
 * <table>
 *   <caption>Default account</caption>
 *   <tr><th>field</th><th>value</th></tr>
 *   <tr><td>accountSid</td><td>{@value #DEFAULT_ACCOUNT_SID}</td></tr>
 *   <tr><td>authToken</td><td>{@value #DEFAULT_AUTH_TOKEN}</td></tr>
 *   <tr><td>apiKey</td><td>{@value #DEFAULT_API_KEY}</td></tr>
 *   <tr><td>apiSecret</td><td>{@value #DEFAULT_API_SECRET}</td></tr>
 *   <tr><td>addressSid (Flex web chat address configuration)</td><td>{@value #DEFAULT_ADDRESS_SID}</td></tr>
 *   <tr><td>conversationsServiceSid (Flex conversations service, the default service)</td>
 *       <td>{@value #DEFAULT_CONVERSATIONS_SERVICE_SID}</td></tr>
 *   <tr><td>flexFlowSid (legacy web chat Flex Flow)</td><td>{@value #DEFAULT_FLEX_FLOW_SID}</td></tr>
 *   <tr><td>chatServiceSid (legacy Programmable Chat service)</td><td>{@value #DEFAULT_CHAT_SERVICE_SID}</td></tr>
 *   <tr><td>taskrouterWorkspaceSid (Flex's TaskRouter workspace)</td><td>{@value #DEFAULT_TASKROUTER_WORKSPACE_SID}</td></tr>
 * </table>
 *
 * @param accountSid              {@code AC...}; Basic auth user name together with {@code authToken}
 * @param authToken               the account's auth token
 * @param apiKey                  {@code SK...}; Basic auth user name together with {@code apiSecret}
 * @param apiSecret               the API key's secret
 * @param addressSid              {@code IG...}, the only address {@code POST /v2/WebChats} accepts
 * @param conversationsServiceSid {@code IS...}, Flex's conversations service; account-level Conversations
 *                                endpoints act on it as the default service
 * @param flexFlowSid             {@code FO...}, the only Flex Flow {@code POST /v1/WebChannels} accepts
 * @param chatServiceSid          {@code IS...}, the Programmable Chat service legacy web channels live in
 * @param taskrouterWorkspaceSid  {@code WS...}, Flex's TaskRouter workspace ("Flex Task Assignment"), the only
 *                                workspace {@code /v1/Workspaces/...} serves
 */
public record EmulatorAccount(String accountSid, String authToken, String apiKey, String apiSecret, String addressSid,
                              String conversationsServiceSid, String flexFlowSid, String chatServiceSid,
                              String taskrouterWorkspaceSid) {

    public static final String DEFAULT_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    public static final String DEFAULT_AUTH_TOKEN = "emulator_auth_token_0123456789ab";
    public static final String DEFAULT_API_KEY = "SK0123456789abcdef0123456789abcdef";
    public static final String DEFAULT_API_SECRET = "emulator_api_secret_0123456789ab";
    public static final String DEFAULT_ADDRESS_SID = "IG0123456789abcdef0123456789abcdef";
    public static final String DEFAULT_CONVERSATIONS_SERVICE_SID = "IS0123456789abcdef0123456789abcdef";
    public static final String DEFAULT_FLEX_FLOW_SID = "FO0123456789abcdef0123456789abcdef";
    public static final String DEFAULT_CHAT_SERVICE_SID = "ISfedcba9876543210fedcba9876543210";
    public static final String DEFAULT_TASKROUTER_WORKSPACE_SID = "WS0123456789abcdef0123456789abcdef";

    public EmulatorAccount {
        requireSid("AC", accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        requireSid("SK", apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
        requireSid("IG", addressSid, "addressSid");
        requireSid("IS", conversationsServiceSid, "conversationsServiceSid");
        requireSid("FO", flexFlowSid, "flexFlowSid");
        requireSid("IS", chatServiceSid, "chatServiceSid");
        requireSid("WS", taskrouterWorkspaceSid, "taskrouterWorkspaceSid");
    }

    /** The fixed test account documented above. */
    public static EmulatorAccount defaults() {
        return new EmulatorAccount(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_API_KEY, DEFAULT_API_SECRET,
                DEFAULT_ADDRESS_SID, DEFAULT_CONVERSATIONS_SERVICE_SID, DEFAULT_FLEX_FLOW_SID, DEFAULT_CHAT_SERVICE_SID,
                DEFAULT_TASKROUTER_WORKSPACE_SID);
    }

    private static void requireSid(String prefix, String value, String name) {
        if (!Sids.isSid(prefix, value)) {
            throw new IllegalArgumentException(name + " must be " + prefix + " followed by 32 lower-case hex digits: " + value);
        }
    }
}
