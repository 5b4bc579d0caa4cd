package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.shared.mail.Email;
import com.flexwebchat.shared.mail.SentEmail;
import com.flexwebchat.shared.mail.SesMailer;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.PersonalData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run-local}'s mail capture over real HTTP: LocalApi started with default settings gives its functions a
 * local SES (AWS_ENDPOINT_URL_SESV2) and FROM_EMAIL; an email sent there with the functions' own environment is
 * written as an .eml file and shown at {@code /_local/mail}, pages the gateway serves itself.
 */
class LocalMailTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] PHOTO = new byte[50_000];

    @TempDir
    static Path folder;
    private static LocalApi api;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static SamTemplate template;

    @BeforeAll
    static void start() {
        new Random(11).nextBytes(PHOTO);
        template = SamTemplate.load(ProjectRoot.find().resolve("template.yaml"));
        api = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0,
                Map.of("LOCAL_MAIL_DIR", folder.resolve("mail").toString()), 0, new PrintStream(console, true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** What a function of this run gets as its environment (any of them: the mail settings are everyone's). */
    static Map<String, String> functionEnvironment(LocalApi run) {
        SamTemplate.SamFunction function = template.functions().stream().filter(f -> !f.routes().isEmpty()).findFirst().orElseThrow();
        return LocalSettings.functionEnvironment(template, function, run.mail().settings());
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(api.baseUrl().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    SentEmail send(String subject, String html, List<Email.Attachment> attachments) {
        Map<String, String> env = functionEnvironment(api);
        Email email = new Email(new Email.Address(env.get("FROM_EMAIL"), "Support"), "ada@example.org", subject, html, null,
                attachments);
        return SesMailer.fromEnvironment(env, Duration.ofSeconds(5)).send(email);
    }

    @Test
    void theFunctionsGetALocalSesAndASenderItHasVerified() {
        Map<String, String> env = functionEnvironment(api);

        assertEquals(api.mail().ses().url(), env.get("AWS_ENDPOINT_URL_SESV2"));
        assertEquals(LocalMail.DEFAULT_FROM, env.get("FROM_EMAIL"));
        assertTrue(env.containsKey("AWS_ACCESS_KEY_ID") && env.containsKey("AWS_SECRET_ACCESS_KEY"), "credentials to sign with");
        assertFalse(env.containsKey("SENDGRID_API_KEY"));
    }

    @Test
    void aSentEmailIsListedShownWrittenAndItsAttachmentDownloadable() throws Exception {
        SentEmail sent = send("Transcript of your chat with Ben", "<p>Hello <b>Ada</b></p>",
                List.of(new Email.Attachment("photo.jpg", "image/jpeg", PHOTO)));

        JsonNode list = JSON.readTree(get("/_local/mail.json").body());
        JsonNode message = null;
        for (JsonNode m : list.path("messages")) {
            if (m.path("id").asText().equals(sent.messageId())) {
                message = m;
            }
        }
        assertTrue(list.path("capturing").asBoolean());
        assertEquals(folder.resolve("mail").toString(), list.path("folder").asText());
        assertEquals("ada@example.org", message.path("to").path(0).asText());
        assertEquals(LocalMail.DEFAULT_FROM, message.path("from").path("address").asText());
        assertEquals("Transcript of your chat with Ben", message.path("subject").asText());
        assertEquals("<p>Hello <b>Ada</b></p>", message.path("html").asText());
        assertEquals("photo.jpg", message.path("attachments").path(0).path("filename").asText());
        assertEquals(PHOTO.length, message.path("attachments").path(0).path("size").asInt());

        HttpResponse<byte[]> index = get("/_local/mail");
        assertEquals(200, index.statusCode());
        assertTrue(text(index).contains("<a href=\"/_local/mail/" + sent.messageId() + "\">Transcript of your chat with Ben</a>"),
                text(index));

        HttpResponse<byte[]> page = get(message.path("url").asText());
        assertEquals(200, page.statusCode());
        assertTrue(text(page).contains("<iframe sandbox title=\"The email's HTML\" srcdoc=\"&lt;p&gt;Hello &lt;b&gt;Ada&lt;/b&gt;&lt;/p&gt;\">"),
                text(page));
        assertTrue(text(page).contains("photo.jpg"));

        HttpResponse<byte[]> file = get(message.path("attachments").path(0).path("url").asText());
        assertEquals(200, file.statusCode());
        assertArrayEquals(PHOTO, file.body());
        assertEquals("application/octet-stream", file.headers().firstValue("Content-Type").orElse(null));
        assertTrue(file.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"photo.jpg\""));

        Path eml = Path.of(message.path("file").asText());
        assertEquals(folder.resolve("mail"), eml.getParent(), "in the folder the banner prints");
        String written = Files.readString(eml, StandardCharsets.ISO_8859_1);
        assertTrue(written.contains("\r\nSubject: Transcript of your chat with Ben\r\n"), written.substring(0, 400));
        assertTrue(written.contains("Content-Type: multipart/mixed;"));
        assertTrue(written.contains("Content-Disposition: attachment; filename=photo.jpg"));
        assertEquals(200, get(message.path("url").asText() + "/message.eml").statusCode());
    }

    @Test
    void aHostileEmailIsShownInert() throws Exception {
        String html = "<script>alert(1)</script><img src=x onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">x</a>\"></iframe><script>alert(4)</script>";
        SentEmail sent = send("<script>alert(5)</script>", html, List.of(new Email.Attachment("x.html", "text/html",
                "<script>alert(6)</script>".getBytes(StandardCharsets.UTF_8))));

        HttpResponse<byte[]> page = get("/_local/mail/" + sent.messageId());
        String body = text(page);

        assertFalse(body.contains("<script"), "no markup of the email's is live on the page: " + body);
        assertFalse(body.contains("<img"), body);
        assertTrue(body.contains("<iframe sandbox title="), "sandboxed, without allow-scripts: " + body);
        assertFalse(body.contains("allow-"), body);
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'none';") && !csp.contains("script-src"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertFalse(text(get("/_local/mail")).contains("<script"));
        HttpResponse<byte[]> file = get("/_local/mail/" + sent.messageId() + "/0");
        assertEquals("application/octet-stream", file.headers().firstValue("Content-Type").orElse(null), "a download, never a page");
        assertEquals("sandbox", file.headers().firstValue("Content-Security-Policy").orElse(null));
    }

    @Test
    void localPagesAreTheGatewaysAndNeverReachAFunction() throws Exception {
        long before = api.invocations();

        assertEquals(404, get("/_local/mail/no-such-id").statusCode());
        assertEquals(404, get("/_local/mail/no-such-id/0").statusCode());
        assertEquals(404, get("/_local/other").statusCode());
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(api.baseUrl().resolve("/_local/mail"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(200, get("/_local/mail").statusCode());

        assertEquals(before, api.invocations());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("GET /_local/mail 200 "), "in the access log");
    }

    @Test
    void theBannerNamesTheStandInTheFolderAndThePages() {
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        try (LocalApi run = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0,
                Map.of("LOCAL_MAIL_DIR", folder.resolve("banner").toString()), 0, new PrintStream(banner, true, StandardCharsets.UTF_8)))) {
            run.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
            String printed = banner.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("Mail: captured by a local SES stand-in at " + run.mail().ses().url()), printed);
            assertTrue(printed.contains("each email is written to " + folder.resolve("banner") + " as an .eml file"), printed);
            assertTrue(printed.contains("shown at " + run.baseUrl() + "/_local/mail"), printed);
        }
    }

    @Test
    void withASendGridKeyEmailIsReallySentAndNothingCaptured() throws Exception {
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        try (LocalApi run = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0,
                Map.of("SENDGRID_API_KEY", "SG.local-test", "FROM_EMAIL", "transcripts@example.com"), 0,
                new PrintStream(banner, true, StandardCharsets.UTF_8)))) {
            run.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
            Map<String, String> env = functionEnvironment(run);

            assertFalse(run.mail().capturing());
            assertEquals("SG.local-test", env.get("SENDGRID_API_KEY"));
            assertNull(env.get("AWS_ENDPOINT_URL_SESV2"));
            String printed = banner.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("Mail: SendGrid at https://api.sendgrid.com (SENDGRID_API_KEY is set)"), printed);
            assertFalse(printed.contains("SG.local-test"), "the key is not printed");
            HttpResponse<byte[]> index = CLIENT.send(HttpRequest.newBuilder(run.baseUrl().resolve("/_local/mail")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(text(index).contains("This run does not capture email"), text(index));
        }
    }

    @Test
    void nothingOfTheEmailReachesTheLogsOrTheConsole() throws Exception {
        PersonalData personal = new PersonalData();
        try (LogCapture logs = new LogCapture()) {
            Map<String, String> env = functionEnvironment(api);
            Email email = new Email(new Email.Address(env.get("FROM_EMAIL"), null), personal.used("grace@example.net"),
                    personal.used("Your chat about order 8812"), personal.used("<p>Grace, here is order 8812</p>"), null, List.of());
            SentEmail sent = SesMailer.fromEnvironment(env, Duration.ofSeconds(5)).send(email);
            get("/_local/mail");
            get("/_local/mail/" + sent.messageId());
            get("/_local/mail.json");

            assertTrue(logs.text().contains(sent.messageId()), "the message id is logged: " + logs.text());
            personal.assertNoneIn(List.of(), logs.text() + "\n" + console.toString(StandardCharsets.UTF_8));
        }
    }
}
