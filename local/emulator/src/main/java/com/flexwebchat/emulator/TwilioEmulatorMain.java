package com.flexwebchat.emulator;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator from the command line:
 * {@code java ... com.flexwebchat.emulator.TwilioEmulatorMain [port] [--bind ADDRESS]} (default port
 * {@value #DEFAULT_PORT}, address 127.0.0.1), printing its base URL and test credentials, until
 * Ctrl-C. {@code --bind 172.17.0.1} (the Docker bridge) lets {@code sam local invoke} containers on
 * Linux reach it.
 */
public final class TwilioEmulatorMain {

    static final int DEFAULT_PORT = 4010;

    private TwilioEmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = DEFAULT_PORT;
        java.net.InetAddress bind = java.net.InetAddress.getLoopbackAddress();
        for (int i = 0; i < args.length; i++) {
            if ("--bind".equals(args[i]) && i + 1 < args.length) {
                bind = java.net.InetAddress.getByName(args[++i]);
            } else {
                port = Integer.parseInt(args[i]);
            }
        }
        TwilioEmulator emulator = TwilioEmulator.start(bind, port, EmulatorAccount.defaults());
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
        System.out.println("  TaskRouter workspace " + a.taskrouterWorkspaceSid());
        System.out.println("Test credentials only. Ctrl-C stops.");
        stopped.await();
    }
}
