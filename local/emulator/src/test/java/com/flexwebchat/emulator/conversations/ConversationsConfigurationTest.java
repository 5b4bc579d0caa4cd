package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.Configuration;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.flexapi.v2.WebChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The account's Conversations configuration: its default timers apply to conversations created afterwards. */
class ConversationsConfigurationTest {

    private TwilioEmulator emulator;
    private TwilioRestClient client;
    private EmulatorAccount account;

    /** A fresh emulator per test: the configuration is state. */
    @BeforeEach
    void start() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        account = emulator.account();
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), emulator.contractViolations());
        emulator.close();
    }

    @Test
    void aNewAccountHasNoDefaultTimers() {
        Configuration configuration = Configuration.fetcher().fetch(client);

        assertEquals(account.accountSid(), configuration.getAccountSid());
        assertEquals(account.conversationsServiceSid(), configuration.getDefaultChatServiceSid());
        assertTrue(configuration.getDefaultMessagingServiceSid().startsWith("MG"));
        assertNull(configuration.getDefaultClosedTimer());
        assertNull(configuration.getDefaultInactiveTimer());
        assertEquals("https://conversations.twilio.com/v1/Configuration", configuration.getUrl().toString());
        assertEquals("https://conversations.twilio.com/v1/Configuration/Webhooks", configuration.getLinks().get("webhooks"));
        assertTrue(timers(Conversation.creator().create(client)).isEmpty());
    }

    @Test
    void defaultTimersApplyToConversationsCreatedAfterwards() {
        String before = Conversation.creator().create(client).getSid();

        Configuration updated = Configuration.updater().setDefaultClosedTimer("PT12H").setDefaultInactiveTimer("PT5M")
                .update(client);
        Instant now = Instant.now();

        assertEquals("PT12H", updated.getDefaultClosedTimer());
        assertEquals("PT5M", updated.getDefaultInactiveTimer());
        assertEquals("PT12H", Configuration.fetcher().fetch(client).getDefaultClosedTimer());
        assertTrue(timers(Conversation.fetcher(before).fetch(client)).isEmpty(), "existing conversations keep theirs");

        assertAbout(now.plus(Duration.ofHours(12)), timer(Conversation.creator().create(client), "date_closed"));
        assertAbout(now.plus(Duration.ofMinutes(5)), timer(Conversation.creator().create(client), "date_inactive"));
        // Flex's web chats are conversations of the default service too.
        String webChat = WebChannels.creator(account.addressSid()).setCustomerFriendlyName("Ada").create(client)
                .getConversationSid();
        assertAbout(now.plus(Duration.ofHours(12)), timer(Conversation.fetcher(webChat).fetch(client), "date_closed"));
        // A conversation's own timers win.
        assertAbout(now.plus(Duration.ofHours(1)),
                timer(Conversation.creator().setTimersClosed("PT1H").create(client), "date_closed"));
    }

    @Test
    void anEmptyTimerTurnsTheDefaultOff() {
        Configuration.updater().setDefaultClosedTimer("P1D").setDefaultInactiveTimer("PT1M").update(client);

        Configuration updated = Configuration.updater().setDefaultClosedTimer("").update(client);

        assertNull(updated.getDefaultClosedTimer());
        assertEquals("PT1M", updated.getDefaultInactiveTimer(), "parameters not sent stay as they are");
        Map<?, ?> timers = timers(Conversation.creator().create(client));
        assertFalse(timers.containsKey("date_closed"), timers.toString());
        assertTrue(timers.containsKey("date_inactive"), timers.toString());
    }

    @Test
    void refusesTimersBelowConversationsMinimumsAndOtherServices() {
        assertError(400, 20001, () -> Configuration.updater().setDefaultClosedTimer("PT9M").update(client));
        assertError(400, 20001, () -> Configuration.updater().setDefaultInactiveTimer("PT30S").update(client));
        assertError(400, 20001, () -> Configuration.updater().setDefaultClosedTimer("one day").update(client));
        assertError(400, 20001, () -> Configuration.updater().setDefaultChatServiceSid(Sids.random("IS")).update(client));
        assertError(400, 20001, () -> Configuration.updater().setDefaultInactiveTimer("PT5M")
                .setDefaultClosedTimer("PT1M").update(client));

        Configuration unchanged = Configuration.fetcher().fetch(client);
        assertNull(unchanged.getDefaultClosedTimer());
        assertNull(unchanged.getDefaultInactiveTimer(), "a refused update changes nothing");
    }

    private static Map<?, ?> timers(Conversation conversation) {
        return (Map<?, ?>) conversation.getTimers();
    }

    private static String timer(Conversation conversation, String name) {
        return String.valueOf(timers(conversation).get(name));
    }

    private static void assertAbout(Instant expected, String actual) {
        Instant instant = Instant.parse(actual);
        assertTrue(Duration.between(expected, instant).abs().compareTo(Duration.ofSeconds(5)) < 0,
                "expected about " + expected + ", got " + actual);
    }
}
