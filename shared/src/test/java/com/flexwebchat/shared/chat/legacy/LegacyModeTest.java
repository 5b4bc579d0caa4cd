package com.flexwebchat.shared.chat.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.SecretSource;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.FlexInteractions;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.shared.token.TokenRefused;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How legacy mode is chosen and what it is made of: a Flex Flow (FLEX_FLOW_SID) and a Chat service
 * (CHAT_SERVICE_SID) instead of a Conversations address.
 */
class LegacyModeTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final SecretSource NO_SECRETS = arn -> {
        throw new AssertionError("no secret is read here");
    };

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().legacy();

    @Test
    void aFlexFlowInsteadOfAnAddressGivesProgrammableChatWebChatsWithoutInteractions() {
        WebChatRuntime runtime = twilio.runtime();

        assertTrue(runtime.config().legacy());
        assertInstanceOf(ProgrammableChat.class, runtime.chats());
        assertSame(FlexInteractions.NONE, runtime.interactions());
    }

    @Test
    void visitorsTokensGrantTheChatService() {
        WebChatRuntime runtime = twilio.runtime();
        assertEquals(ACCOUNT.chatServiceSid(), runtime.config().grantedChatServiceSid());

        String token = runtime.tokenIssuer().issue("visitor-1").jwt();

        AccessTokenVerifier chatService = new AccessTokenVerifier(ACCOUNT.accountSid(), ACCOUNT.apiKey(),
                ACCOUNT.apiSecret(), ACCOUNT.chatServiceSid(), Clock.systemUTC());
        assertEquals("visitor-1", chatService.verify(token));
    }

    @Test
    void aTokenForTheConversationsServiceIsRefused() {
        String conversationsToken = new AccessTokenIssuer(ACCOUNT.accountSid(), ACCOUNT.apiKey(), ACCOUNT.apiSecret(),
                ACCOUNT.conversationsServiceSid(), Duration.ofHours(1), Clock.systemUTC()).issue("visitor-1").jwt();

        TokenRefused refused = assertThrows(TokenRefused.class, () -> twilio.runtime().tokenVerifier().verify(conversationsToken));

        assertEquals(TokenRefused.Reason.ANOTHER_SERVICE, refused.reason());
    }

    @Test
    void legacyModeNeedsTheChatService() {
        Map<String, String> env = twilio.environment();
        env.remove("CHAT_SERVICE_SID");

        assertTrue(assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS))
                .getMessage().startsWith("CHAT_SERVICE_SID is required"));
    }

    @Test
    void anAddressAndAFlexFlowAtOnceAreRefused() {
        Map<String, String> env = twilio.environment();
        env.put("ADDRESS_SID", ACCOUNT.addressSid());

        assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS));
    }
}
