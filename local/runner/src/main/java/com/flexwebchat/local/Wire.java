package com.flexwebchat.local;

import com.flexwebchat.ops.wiring.TwilioWiring;
import com.flexwebchat.shared.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./run-local wire}: the operations tool {@link TwilioWiring} (module ops), given the
 * settings as {@code ./run-local} reads them: the environment over .env. With ACCOUNT_SID that
 * account (at TWILIO_API_BASE_URL when set), with only TWILIO_API_BASE_URL the emulator's test
 * account there; an emulator is never started, since wiring one that dies with this command
 * would be pointless.
 */
public final class Wire {

    private Wire() {
    }

    public static void main(String[] args) {
        DotEnv dotEnv = DotEnv.read(Path.of(".env"));
        dotEnv.warnings().forEach(warning -> System.err.println(".env " + warning));
        System.exit(TwilioWiring.run(args, LocalSettings.merge(System.getenv(), dotEnv), Wire::account,
                TwilioWiring.awsCli("aws"), System.out, System.err));
    }

    /** The account the settings name, as {@link LocalSettings#twilio} resolves it. */
    static TwilioWiring.Account account(Map<String, String> settings) {
        if (!LocalSettings.isSet(settings, "ACCOUNT_SID") && !LocalSettings.isSet(settings, "TWILIO_API_BASE_URL")) {
            throw new ConfigException("ACCOUNT_SID and AUTH_TOKEN are required (environment or .env), "
                    + "or TWILIO_API_BASE_URL to wire a Twilio emulator");
        }
        LocalSettings.Twilio twilio = LocalSettings.twilio(settings, 0);
        return new TwilioWiring.Account(twilio.settings(), twilio.description());
    }
}
