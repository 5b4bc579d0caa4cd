package com.flexwebchat.emulator.testing;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.twilio.http.TwilioRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One emulator per test class, driven through the real twilio-java SDK over HTTP; armed faults and
 * the request journal are cleared before each test (state stays, as in a real account).
 */
public abstract class SdkAgainstEmulator {

    protected static TwilioEmulator emulator;
    protected static TwilioRestClient client;
    protected static EmulatorAccount account;

    @BeforeAll
    protected static void startEmulator() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        account = emulator.account();
    }

    @AfterAll
    protected static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    protected void cleanEmulator() {
        emulator.reset();
        emulator.clearRequests();
    }
}
