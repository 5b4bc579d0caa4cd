package com.flexwebchat.local;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./run-local sign URL [Name=value ...]}: signs a form webhook as Twilio would, with
 * AUTH_TOKEN from the environment or .env (the emulator's when there is none), and prints a curl
 * command that sends it. For trying the webhook routes by hand; never needed in production.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ./run-local sign URL [Name=value ...]");
            System.exit(2);
        }
        Map<String, String> settings = LocalSettings.merge(System.getenv(), DotEnv.read(Path.of(".env")));
        String authToken = LocalSettings.isSet(settings, "AUTH_TOKEN") ? settings.get("AUTH_TOKEN").trim()
                : EmulatorAccount.defaults().authToken();
        String url = args[0];
        Map<String, List<String>> params = new LinkedHashMap<>();
        List<String> curlData = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            params.computeIfAbsent(pair[0], k -> new ArrayList<>()).add(pair.length > 1 ? pair[1] : "");
            curlData.add("--data-urlencode " + quote(args[i]));
        }
        String signature = TwilioEmulator.signature(authToken, url, params);
        System.out.println("curl -s -H " + quote("X-Twilio-Signature: " + signature) + " "
                + String.join(" ", curlData) + " " + quote(url));
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
