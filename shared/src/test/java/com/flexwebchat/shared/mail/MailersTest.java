package com.flexwebchat.shared.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.shared.aws.AwsErrorType;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.SecretSource;
import com.flexwebchat.shared.config.WebChatConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mail settings (FROM_EMAIL, SENDGRID_API_KEY, SENDGRID_API_BASE_URL), the choice of provider, and how errors read. */
class MailersTest {

    static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flex-webchat/twilio-AbCdEf";

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_SID", "AC" + "0".repeat(32));
        env.put("AUTH_TOKEN", "auth-token-value");
        env.put("API_KEY", "SK" + "1".repeat(32));
        env.put("API_SECRET", "api-secret-value");
        env.put("ADDRESS_SID", "IG" + "2".repeat(32));
        env.put("CONVERSATIONS_SERVICE_SID", "IS" + "3".repeat(32));
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    static WebChatConfig.Mail mail(Map<String, String> env) {
        return WebChatConfig.from(env, arn -> {
            throw new AssertionError("no secret");
        }).mail();
    }

    @Test
    void withoutFromEmailNothingCanBeSentAndTheErrorNamesTheKey() {
        WebChatConfig.Mail mail = mail(env());

        assertFalse(mail.configured());
        ConfigException error = assertThrows(ConfigException.class, () -> Mailers.create(mail, env()));
        assertTrue(error.getMessage().startsWith("FROM_EMAIL is required"), error.getMessage());
    }

    @Test
    void fromEmailIsAnAddressOrANamedOne() {
        Map<String, String> env = env();
        env.put("FROM_EMAIL", "transcripts@example.com");
        assertEquals(new WebChatConfig.Mail("transcripts@example.com", null, null, URI.create("https://api.sendgrid.com")), mail(env));

        env.put("FROM_EMAIL", "Acme Support <transcripts@example.com>");
        assertEquals("Acme Support", mail(env).fromName());
        assertEquals("transcripts@example.com", mail(env).fromAddress());

        env.put("FROM_EMAIL", "\"Acme, Support\" <transcripts@example.com>");
        assertEquals("Acme, Support", mail(env).fromName());
        assertEquals("transcripts@example.com", Mailers.sender(mail(env)).address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"transcripts", "transcripts@", "a b@example.com", "Support <transcripts>", "<>", "a@b@c"})
    void aFromEmailThatIsNoAddressIsRefusedAtColdStart(String value) {
        Map<String, String> env = env();
        env.put("FROM_EMAIL", value);

        ConfigException error = assertThrows(ConfigException.class, () -> mail(env));
        assertTrue(error.getMessage().startsWith("FROM_EMAIL must be an email address"), error.getMessage());
    }

    @Test
    void withoutASendGridKeySesSends() {
        Map<String, String> env = env();
        env.put("FROM_EMAIL", "transcripts@example.com");

        Mailer mailer = Mailers.create(mail(env), env);

        assertInstanceOf(SesMailer.class, mailer);
        assertEquals(URI.create("https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails"), ((SesMailer) mailer).endpoint());
    }

    @Test
    void sesWithoutARegionIsAConfigurationError() {
        Map<String, String> env = env();
        env.put("FROM_EMAIL", "transcripts@example.com");
        env.remove("AWS_REGION");

        ConfigException error = assertThrows(ConfigException.class, () -> Mailers.create(mail(env), env));
        assertTrue(error.getMessage().contains("AWS_REGION"), error.getMessage());
    }

    @Test
    void withASendGridKeySendGridSendsAtItsBaseUrl() {
        Map<String, String> env = env();
        env.put("FROM_EMAIL", "transcripts@example.com");
        env.put("SENDGRID_API_KEY", "SG.key-value");
        env.put("SENDGRID_API_BASE_URL", "https://api.eu.sendgrid.com/");

        WebChatConfig.Mail mail = mail(env);
        Mailer mailer = Mailers.create(mail, env);

        assertInstanceOf(SendGridMailer.class, mailer);
        assertEquals("SendGridMailer[https://api.eu.sendgrid.com/v3/mail/send]", mailer.toString());
        assertFalse(mail.toString().contains("SG.key-value"), mail.toString());
        assertFalse(WebChatConfig.from(env, arn -> Map.of()).toString().contains("SG.key-value"));
    }

    @Test
    void deployedTheSendGridKeyComesFromTheSecretAsTheOtherSecretsDo() {
        Map<String, String> env = env();
        env.remove("AUTH_TOKEN");
        env.remove("API_SECRET");
        env.put("TWILIO_SECRET_ARN", SECRET_ARN);
        env.put("FROM_EMAIL", "transcripts@example.com");
        env.put("SENDGRID_API_KEY", "SG.from-the-environment-is-ignored");
        SecretSource secret = arn -> Map.of("AUTH_TOKEN", "t", "API_SECRET", "s", "SENDGRID_API_KEY", "SG.from-the-secret");

        assertEquals("SG.from-the-secret", WebChatConfig.from(env, secret).mail().sendGridApiKey());
        SecretSource without = arn -> Map.of("AUTH_TOKEN", "t", "API_SECRET", "s");
        assertNull(WebChatConfig.from(env, without).mail().sendGridApiKey(), "no key in the secret: SES");
    }

    @Test
    void aSendGridBaseUrlMustBeAUrl() {
        Map<String, String> env = env();
        env.put("SENDGRID_API_BASE_URL", "ftp://example.com");

        assertThrows(ConfigException.class, () -> mail(env));
    }

    @Test
    void awsErrorTypesAreReadAsRestJson1Says() {
        byte[] none = new byte[0];
        assertEquals("MessageRejected", AwsErrorType.of("MessageRejected", none));
        assertEquals("MessageRejected", AwsErrorType.of("MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/", none));
        assertEquals("FooError", AwsErrorType.of("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/", none));
        assertEquals("FooError", AwsErrorType.of(null, bytes("{\"__type\":\"aws.protocoltests.restjson#FooError\"}")));
        assertEquals("FooError", AwsErrorType.of(null, bytes("{\"code\":\"FooError\",\"message\":\"...\"}")));
        assertEquals("FromHeader", AwsErrorType.of("FromHeader", bytes("{\"__type\":\"FromBody\"}")), "the header first");
        assertNull(AwsErrorType.of(null, bytes("<html>Bad Gateway</html>")));
        assertNull(AwsErrorType.of(null, bytes("{\"message\":\"no type\"}")));
        assertNull(AwsErrorType.of("not a type at all", none));
    }

    @Test
    void anEmailShowsNoneOfItsContentWhenPrinted() {
        Email email = new Email(new Email.Address("transcripts@example.com", "Support"), "ada@example.org", "Subject line",
                "<p>body</p>", "text", List.of(new Email.Attachment("secret-name.pdf", "application/pdf", new byte[3])));

        String printed = email + " " + email.from() + " " + email.attachments();

        for (String value : new String[] {"ada@", "transcripts@", "Subject line", "body", "secret-name"}) {
            assertFalse(printed.contains(value), printed);
        }
        assertEquals("Email[1 attachments, 3 bytes]", email.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
