package com.flexwebchat.local;

import com.flexwebchat.standins.CapturedEmail;
import com.flexwebchat.standins.LocalSes;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a local run's email goes. Captured by default: a developer's shell often holds AWS credentials, and a local
 * run must not mail visitors' addresses because of them. So unless the settings name a provider explicitly, the
 * functions' SES is a {@link LocalSes} started here on a free port of 127.0.0.1 (AWS_ENDPOINT_URL_SESV2), every
 * email it accepts is written as an .eml file into LOCAL_MAIL_DIR (default: a new folder under the system's temporary
 * folder, created with the first email) and shown by the gateway at {@code /_local/mail} ({@link MailPages}).
 * <ul>
 *   <li>SENDGRID_API_KEY set (as in twilio-webchat-react-app's {@code .env}, whose server sends through SendGrid):
 *       SendGrid sends, at SENDGRID_API_BASE_URL when set, for real. {@code SENDGRID_API_KEY= ./run-local} (blank
 *       is unset, and the environment wins over .env) captures instead.</li>
 *   <li>AWS_ENDPOINT_URL_SESV2 set: that SES (the real one is {@code https://email.<region>.amazonaws.com}), with the
 *       settings' AWS credentials.</li>
 *   <li>Otherwise captured. FROM_EMAIL defaults to {@value #DEFAULT_FROM}; whatever it is, the stand-in has it verified.
 *       Without AWS credentials in the settings (and no dynalite, which brings its own), placeholder ones, which the
 *       stand-in accepts.</li>
 * </ul>
 */
final class LocalMail implements AutoCloseable {

    static final String DEFAULT_FROM = "transcripts@localhost.test";
    private static final Pattern NAMED = Pattern.compile(".*<([^<>]+)>\\s*");

    private final LocalSes ses;
    private final Path folder;
    private final Map<String, String> settings;
    private final List<String> banner;
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    private LocalMail(LocalSes ses, Path folder, Map<String, String> settings, List<String> banner) {
        this.ses = ses;
        this.folder = folder;
        this.settings = settings;
        this.banner = banner;
    }

    /** @param settings the run's settings so far (the Twilio account and the protections' store filled in) */
    static LocalMail start(Map<String, String> settings) {
        Map<String, String> resolved = new LinkedHashMap<>(settings);
        List<String> banner = new ArrayList<>();
        if (LocalSettings.isSet(settings, "SENDGRID_API_KEY")) {
            banner.add("Mail: SendGrid at " + (LocalSettings.isSet(settings, "SENDGRID_API_BASE_URL")
                    ? settings.get("SENDGRID_API_BASE_URL").trim() : "https://api.sendgrid.com")
                    + " (SENDGRID_API_KEY is set): emails are really sent; SENDGRID_API_KEY= ./run-local captures them instead");
            return new LocalMail(null, null, resolved, banner);
        }
        if (LocalSettings.isSet(settings, "AWS_ENDPOINT_URL_SESV2")) {
            banner.add("Mail: Amazon SES at " + settings.get("AWS_ENDPOINT_URL_SESV2").trim() + " (AWS_ENDPOINT_URL_SESV2 is set)");
            return new LocalMail(null, null, resolved, banner);
        }
        if (!LocalSettings.isSet(settings, "FROM_EMAIL")) {
            resolved.put("FROM_EMAIL", DEFAULT_FROM);
        }
        if (!LocalSettings.isSet(settings, "AWS_ACCESS_KEY_ID") || !LocalSettings.isSet(settings, "AWS_SECRET_ACCESS_KEY")) {
            resolved.put("AWS_ACCESS_KEY_ID", "local");
            resolved.put("AWS_SECRET_ACCESS_KEY", "local");
        }
        Path folder = LocalSettings.isSet(settings, "LOCAL_MAIL_DIR")
                ? Path.of(settings.get("LOCAL_MAIL_DIR").trim()).toAbsolutePath()
                : Path.of(System.getProperty("java.io.tmpdir"), "flex-webchat-mail-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + ProcessHandle.current().pid());
        LocalSes ses = LocalSes.start(resolved.getOrDefault("AWS_REGION", "us-east-1").trim())
                .acceptCredentials(resolved.get("AWS_ACCESS_KEY_ID").trim(), resolved.get("AWS_SECRET_ACCESS_KEY").trim())
                .verify(address(resolved.get("FROM_EMAIL")));
        resolved.put("AWS_ENDPOINT_URL_SESV2", ses.url());
        LocalMail mail = new LocalMail(ses, folder, resolved, banner);
        ses.onCaptured(mail::write);
        banner.add("Mail: captured by a local SES stand-in at " + ses.url() + " (neither SENDGRID_API_KEY nor"
                + " AWS_ENDPOINT_URL_SESV2 is set), from " + resolved.get("FROM_EMAIL").trim() + "; each email is written to "
                + folder + " as an .eml file");
        return mail;
    }

    /** The address of {@code address} or {@code Name <address>}. */
    private static String address(String fromEmail) {
        Matcher named = NAMED.matcher(fromEmail.trim());
        return named.matches() ? named.group(1).trim() : fromEmail.trim();
    }

    private void write(CapturedEmail email) {
        try {
            files.put(email.id(), email.writeEml(folder));
        } catch (UncheckedIOException e) {
            System.err.println("The captured email " + email.id() + " could not be written: " + e.getCause().getMessage());
        }
    }

    /** Whether this run captures email (else a provider sends it). */
    boolean capturing() {
        return ses != null;
    }

    /** The emails captured so far, newest first. */
    List<CapturedEmail> captured() {
        List<CapturedEmail> emails = new ArrayList<>(ses == null ? List.of() : ses.captured());
        java.util.Collections.reverse(emails);
        return emails;
    }

    /** The captured email with this id, or null. */
    CapturedEmail email(String id) {
        return ses == null ? null : ses.captured().stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
    }

    /** Where the .eml files go, or null when not capturing. */
    Path folder() {
        return folder;
    }

    /** The .eml file of a captured email, or null when it was not written. */
    Path file(String id) {
        return files.get(id);
    }

    /** The settings with the mail settings filled in. */
    Map<String, String> settings() {
        return settings;
    }

    /** The SES stand-in, when capturing. */
    LocalSes ses() {
        return ses;
    }

    List<String> banner() {
        return banner;
    }

    @Override
    public void close() {
        if (ses != null) {
            ses.close();
        }
    }
}
