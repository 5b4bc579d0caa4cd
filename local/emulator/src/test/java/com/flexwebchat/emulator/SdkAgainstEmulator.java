package com.flexwebchat.emulator;

import com.twilio.http.TwilioRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One emulator per test class, driven through the real twilio-java SDK over HTTP; armed faults and
 * the request journal are cleared before each test (state stays, as in a real account).
 */
abstract class SdkAgainstEmulator {

    static TwilioEmulator emulator;
    static TwilioRestClient client;
    static EmulatorAccount account;

    @BeforeAll
    static void startEmulator() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        account = emulator.account();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void cleanEmulator() {
        emulator.reset();
        emulator.clearRequests();
    }
}
