package com.flexwebchat.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in for the Parameters and Secrets extension's local HTTP endpoint. */
class SecretsExtensionTest {

    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:twilio-AbCdEf";

    HttpServer extension;
    final AtomicReference<String> seenToken = new AtomicReference<>();
    final AtomicReference<String> seenQuery = new AtomicReference<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        extension = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        extension.createContext("/secretsmanager/get", exchange -> {
            seenToken.set(exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token"));
            seenQuery.set(exchange.getRequestURI().getRawQuery());
            byte[] body = ("{\"ARN\":\"" + ARN + "\",\"SecretString\":"
                    + "\"{\\\"AUTH_TOKEN\\\":\\\"a-token\\\",\\\"API_SECRET\\\":\\\"a-secret\\\"}\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        extension.start();
    }

    @AfterEach
    void stop() {
        extension.stop(0);
    }

    SecretsExtension client() {
        return new SecretsExtension(Map.of(
                "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(extension.getAddress().getPort()),
                "AWS_SESSION_TOKEN", "session-token"));
    }

    @Test
    void readsTheSecretWithTheSessionToken() {
        Map<String, String> secret = client().read(ARN);

        assertEquals(Map.of("AUTH_TOKEN", "a-token", "API_SECRET", "a-secret"), secret);
        assertEquals("session-token", seenToken.get());
        assertTrue(seenQuery.get().startsWith("secretId=arn%3Aaws%3Asecretsmanager"), seenQuery.get());
    }

    @Test
    void failsColdStartWithAClearMessageWhenTheExtensionRefuses() {
        status = 400;
        ConfigException error = assertThrows(ConfigException.class, () -> client().read(ARN));
        assertTrue(error.getMessage().contains("HTTP 400"), error.getMessage());
    }
}
