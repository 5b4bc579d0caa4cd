package com.flexwebchat.emulator.http;

import com.flexwebchat.emulator.EmulatorAccount;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP Basic authentication as Twilio's REST API does it: the user/password pair is either
 * {@code AccountSid:AuthToken} or {@code ApiKeySid:ApiKeySecret}; anything else answers 401 / 20003.
 * An account SID appearing in the path (e.g. {@code /2010-04-01/Accounts/{AccountSid}/...}) must be the
 * authenticated account's, or the request is rejected the same way.
 *
 * @see <a href="https://www.twilio.com/docs/usage/requests-to-twilio#authenticate-with-http">Authenticate with HTTP</a>
 */
final class Credentials {

    private static final Pattern ACCOUNT_SID_IN_PATH = Pattern.compile("(?<=/)AC[0-9a-fA-F]{32}(?=/|$)");

    private final EmulatorAccount account;

    Credentials(EmulatorAccount account) {
        this.account = account;
    }

    void check(String authorizationHeader, String path) {
        if (!validBasic(authorizationHeader)) {
            throw TwilioError.authenticate();
        }
        Matcher sids = ACCOUNT_SID_IN_PATH.matcher(path);
        while (sids.find()) {
            if (!sids.group().equals(account.accountSid())) {
                throw TwilioError.authenticate();
            }
        }
    }

    private boolean validBasic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        return (user.equals(account.accountSid()) && password.equals(account.authToken()))
                || (user.equals(account.apiKey()) && password.equals(account.apiSecret()));
    }
}
