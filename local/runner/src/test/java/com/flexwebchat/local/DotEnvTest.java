package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {

    @Test
    void readsTheTwilioWebchatAppStyle() {
        DotEnv env = DotEnv.parse("""
                # Twilio
                ACCOUNT_SID=AC0123456789abcdef0123456789abcdef
                AUTH_TOKEN = secret-token  # inline comment
                export API_KEY=SK0123
                  API_SECRET="quoted # not a comment"
                ADDRESS_SID='single $quoted \\n'

                ALLOWED_ORIGINS=http://localhost:3000,https://shop.example.com
                EMPTY=
                URL=http://127.0.0.1:4010/#anchor
                """);
        assertEquals(Map.of(
                "ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
                "AUTH_TOKEN", "secret-token",
                "API_KEY", "SK0123",
                "API_SECRET", "quoted # not a comment",
                "ADDRESS_SID", "single $quoted \\n",
                "ALLOWED_ORIGINS", "http://localhost:3000,https://shop.example.com",
                "EMPTY", "",
                "URL", "http://127.0.0.1:4010/#anchor"), env.values());
        assertEquals(List.of(), env.warnings());
    }

    @Test
    void doubleQuotesUnescapeAndSpanLines() {
        DotEnv env = DotEnv.parse("KEY=\"line1\\nline2 \\\"q\\\" \\\\\"\r\nMULTI=\"a\nb\"\nAFTER=x\nTICKS=`a 'b' \"c\"`\n");
        assertEquals("line1\nline2 \"q\" \\", env.values().get("KEY"));
        assertEquals("a\nb", env.values().get("MULTI"));
        assertEquals("x", env.values().get("AFTER"));
        assertEquals("a 'b' \"c\"", env.values().get("TICKS"));
    }

    @Test
    void laterLinesWinAndNonsenseIsReported() {
        DotEnv env = DotEnv.parse("A=1\nA=2\njust words\n1BAD=x\nB=\"unterminated\n");
        assertEquals(Map.of("A", "2"), env.values());
        assertEquals(3, env.warnings().size(), env.warnings().toString());
        assertTrue(env.warnings().get(0).startsWith("line 3"), env.warnings().toString());
        assertTrue(env.warnings().stream().noneMatch(w -> w.contains("unterminated")), "values never appear in warnings");
    }

    @Test
    void missingFileIsEmpty(@TempDir Path dir) throws Exception {
        assertEquals(Map.of(), DotEnv.read(dir.resolve(".env")).values());
        Files.writeString(dir.resolve(".env"), "X=1\n");
        assertEquals(Map.of("X", "1"), DotEnv.read(dir.resolve(".env")).values());
    }

    @Test
    void theEnvironmentWinsOverTheFile() {
        DotEnv file = DotEnv.parse("ACCOUNT_SID=ACfile\nALLOWED_ORIGINS=http://file\n");
        Map<String, String> merged = LocalSettings.merge(Map.of("ACCOUNT_SID", "ACenv"), file);
        assertEquals("ACenv", merged.get("ACCOUNT_SID"));
        assertEquals("http://file", merged.get("ALLOWED_ORIGINS"));
    }
}
