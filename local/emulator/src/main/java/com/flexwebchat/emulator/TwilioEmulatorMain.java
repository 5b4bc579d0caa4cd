package com.flexwebchat.emulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator from the command line: {@code java ... com.flexwebchat.emulator.TwilioEmulatorMain [port]}
 * (default {@value #DEFAULT_PORT}), printing its base URL and test credentials, until Ctrl-C.
 */
public final class TwilioEmulatorMain {

    static final int DEFAULT_PORT = 4010;

    private TwilioEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
        TwilioEmulator emulator = TwilioEmulator.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "twilio-emulator-shutdown"));

        EmulatorAccount a = emulator.account();
        System.out.println("Twilio emulator listening on " + emulator.baseUrl()
                + "  (https://{sub}.twilio.com/... is served at " + emulator.baseUrl() + "/{sub}/...)");
        System.out.println("  account SID          " + a.accountSid());
        System.out.println("  auth token           " + a.authToken());
        System.out.println("  API key / secret     " + a.apiKey() + " / " + a.apiSecret());
        System.out.println("  web chat address     " + a.addressSid());
        System.out.println("  conversation service " + a.conversationsServiceSid());
        System.out.println("  Flex Flow            " + a.flexFlowSid());
        System.out.println("  chat service         " + a.chatServiceSid());
        System.out.println("Test credentials only. Ctrl-C stops.");
        stopped.await();
    }
}
