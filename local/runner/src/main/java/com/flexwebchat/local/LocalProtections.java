package com.flexwebchat.local;

import com.flexwebchat.standins.CaptchaProvider;
import com.flexwebchat.standins.LocalDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the abuse protections use in a local run, as the stack gives it in AWS: a store, and a
 * CAPTCHA provider when one is configured.
 * <ul>
 *   <li>With STORE_TABLE set, that table (at AWS_ENDPOINT_URL_DYNAMODB when set, with the AWS
 *       credentials of the environment): a dynalite of one's own, or a real table.</li>
 *   <li>Without it, dynalite ({@link LocalDynamo}, in memory, emptied when the run ends) on
 *       127.0.0.1:{@value #DEFAULT_STORE_PORT} or a free port, so the limits, the block list, one
 *       chat per submit and exactly-once webhook effects work as deployed, and
 *       {@code ./run-local block} finds the store. Without Node.js there is none: those
 *       protections are off, the banner says so, and the API still serves.</li>
 *   <li>With CAPTCHA_PROVIDER set but no CAPTCHA_SECRET, a local siteverify stand-in
 *       ({@link CaptchaProvider}) on 127.0.0.1:{@value #DEFAULT_CAPTCHA_PORT} or a free port;
 *       it accepts tokens {@code ok:<score>:<anything>}, each once.</li>
 * </ul>
 */
final class LocalProtections implements AutoCloseable {

    /** Where {@code ./run-local} starts dynalite, and where {@code ./run-local block} looks for it. */
    static final int DEFAULT_STORE_PORT = 4011;
    static final int DEFAULT_CAPTCHA_PORT = 4012;
    /** The secret the local CAPTCHA stand-in expects; not a real provider's. */
    static final String LOCAL_CAPTCHA_SECRET = "local-captcha-secret";
    /** The protections that need the store. */
    static final String STORE_PROTECTIONS =
            "per-client limits, the block list, one chat per submit and exactly-once webhook effects";

    private final LocalDynamo dynamo;
    private final CaptchaProvider captcha;
    private final Map<String, String> settings;
    private final List<String> banner;

    private LocalProtections(LocalDynamo dynamo, CaptchaProvider captcha, Map<String, String> settings, List<String> banner) {
        this.dynamo = dynamo;
        this.captcha = captcha;
        this.settings = settings;
        this.banner = banner;
    }

    /**
     * Starts what the settings leave to this run.
     *
     * @param settings    the run's settings (the environment over .env, the Twilio account filled in)
     * @param projectRoot where {@code local/stand-ins/dynalite} is
     * @param storePort   where to start dynalite (0: any free port; a taken port falls back to a free one)
     * @param captchaPort where to start the CAPTCHA stand-in, likewise
     */
    static LocalProtections start(Map<String, String> settings, Path projectRoot, int storePort, int captchaPort) {
        Map<String, String> resolved = new LinkedHashMap<>(settings);
        List<String> banner = new ArrayList<>();
        LocalDynamo dynamo = null;
        if (LocalSettings.isSet(settings, "STORE_TABLE")) {
            boolean placeholders = placeholderCredentials(settings, resolved);
            banner.add("Store: table " + settings.get("STORE_TABLE").trim() + " at "
                    + (LocalSettings.isSet(settings, "AWS_ENDPOINT_URL_DYNAMODB")
                    ? settings.get("AWS_ENDPOINT_URL_DYNAMODB").trim()
                    : "DynamoDB in " + settings.getOrDefault("AWS_REGION", "us-east-1")) + " (STORE_TABLE is set"
                    + (placeholders ? "; no AWS credentials are set, so placeholder ones, which a local engine accepts" : "")
                    + ")");
        } else {
            String nodeMissing = LocalDynamo.nodeMissing();
            if (nodeMissing != null) {
                banner.add("Store: none, so " + STORE_PROTECTIONS + " are off (" + nodeMissing
                        + "; the local store, dynalite, needs Node.js 20 or later)");
            } else {
                dynamo = startDynamo(projectRoot, storePort);
                resolved.putAll(dynamo.environment());
                banner.add("Store: dynalite at " + dynamo.endpoint() + ", table " + LocalDynamo.TABLE
                        + " (in memory, emptied when this run ends; ./run-local block manages its block list)");
            }
        }
        CaptchaProvider captcha = null;
        try {
            if (!LocalSettings.isSet(settings, "CAPTCHA_PROVIDER")) {
                banner.add("CAPTCHA: off (CAPTCHA_PROVIDER is not set)");
            } else if (LocalSettings.isSet(settings, "CAPTCHA_SECRET")) {
                banner.add("CAPTCHA: " + settings.get("CAPTCHA_PROVIDER").trim()
                        + (LocalSettings.isSet(settings, "CAPTCHA_VERIFY_URL") ? " at " + settings.get("CAPTCHA_VERIFY_URL").trim() : ""));
            } else {
                captcha = startCaptcha(captchaPort);
                resolved.put("CAPTCHA_SECRET", captcha.secret());
                resolved.put("CAPTCHA_VERIFY_URL", captcha.verifyUrl());
                banner.add("CAPTCHA: " + settings.get("CAPTCHA_PROVIDER").trim() + ", verified by a local stand-in at "
                        + captcha.verifyUrl() + " (CAPTCHA_SECRET is not set): it accepts tokens ok:<score>:<anything>,"
                        + " such as ok:0.9:1, each once");
            }
        } catch (RuntimeException e) {
            if (dynamo != null) {
                dynamo.close();
            }
            throw e;
        }
        return new LocalProtections(dynamo, captcha, resolved, banner);
    }

    /**
     * Puts placeholder AWS credentials into {@code into} when {@code settings} name a table at a local
     * engine (AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL) and set no credentials: dynalite and
     * DynamoDB Local accept any, but without some every store call fails before it is sent (and the
     * protections fail open). A table in AWS keeps needing real ones.
     *
     * @return whether it did
     */
    static boolean placeholderCredentials(Map<String, String> settings, Map<String, String> into) {
        boolean localEngine = LocalSettings.isSet(settings, "AWS_ENDPOINT_URL_DYNAMODB") || LocalSettings.isSet(settings, "AWS_ENDPOINT_URL");
        boolean credentials = LocalSettings.isSet(settings, "AWS_ACCESS_KEY_ID") && LocalSettings.isSet(settings, "AWS_SECRET_ACCESS_KEY");
        if (!localEngine || credentials) {
            return false;
        }
        into.put("AWS_ACCESS_KEY_ID", "local");
        into.put("AWS_SECRET_ACCESS_KEY", "local");
        return true;
    }

    /** On {@code port} when it is free; checked first, since another run's dynalite there would answer as if it were this one. */
    private static LocalDynamo startDynamo(Path projectRoot, int port) {
        return LocalDynamo.start(projectRoot, port != 0 && isFree(port) ? port : 0);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static CaptchaProvider startCaptcha(int port) {
        try {
            return CaptchaProvider.start(port, LOCAL_CAPTCHA_SECRET);
        } catch (UncheckedIOException busy) {
            if (port == 0) {
                throw busy;
            }
            return CaptchaProvider.start(0, LOCAL_CAPTCHA_SECRET);
        }
    }

    /** The settings with the store and CAPTCHA provider started here filled in. */
    Map<String, String> settings() {
        return settings;
    }

    /** One line per protection resource, for the banner. */
    List<String> banner() {
        return banner;
    }

    /** The dynalite this run started, if it started one. */
    LocalDynamo dynamo() {
        return dynamo;
    }

    @Override
    public void close() {
        if (captcha != null) {
            captcha.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
