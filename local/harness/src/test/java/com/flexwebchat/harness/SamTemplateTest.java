package com.flexwebchat.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.harness.SamTemplate.Cors;
import com.flexwebchat.harness.SamTemplate.EnvValue;
import com.flexwebchat.harness.SamTemplate.SamFunction;
import com.flexwebchat.harness.SamTemplate.SamRoute;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(SamTemplateTest.class.getResource("/sam-template-fixture.yaml").toURI());
    }

    @Test
    void readsFunctionsWithGlobalsMergedIn() throws Exception {
        SamTemplate template = SamTemplate.load(fixture());

        assertEquals(List.of("WebChannelFunction", "TokenFunction"),
                template.functions().stream().map(SamFunction::logicalId).toList());

        SamFunction webchannel = template.function("WebChannelFunction");
        assertEquals("com.flexwebchat.webchannel.WebChannelHandler::handleRequest", webchannel.handler());
        assertEquals("functions/webchannel/target/webchannel-function.zip", webchannel.codeUri());
        assertEquals(15, webchannel.timeoutSeconds(), "the function's own Timeout wins over Globals");
        assertEquals(1024, webchannel.memoryMb(), "MemorySize comes from Globals");
        assertEquals(List.of(new SamRoute("POST", "/initWebchat", "WebChannelFunction")), webchannel.routes());

        SamFunction token = template.function("TokenFunction");
        assertEquals(10, token.timeoutSeconds());
        assertEquals(512, token.memoryMb());
        assertEquals(List.of(new SamRoute("POST", "/refreshToken", "TokenFunction")), token.routes(),
                "only HttpApi events are routes");
        assertEquals(fixture().getParent().resolve("functions/token/target/token-function.zip"), template.artifact(token));
    }

    @Test
    void keepsShortFormIntrinsicsApartFromLiterals() throws Exception {
        SamTemplate template = SamTemplate.load(fixture());
        SamFunction webchannel = template.function("WebChannelFunction");

        assertEquals(Optional.of("-XX:+TieredCompilation -XX:TieredStopAtLevel=1"), webchannel.literalEnv("JAVA_TOOL_OPTIONS"));
        assertEquals(new EnvValue(null, "TokenTtlSeconds", null), webchannel.environment().get("TOKEN_TTL_SECONDS"));
        EnvValue origins = webchannel.environment().get("ALLOWED_ORIGINS");
        assertFalse(origins.isLiteral(), "!Join must not read as a literal list");
        assertTrue(origins.intrinsic().contains("Fn::Join") && origins.intrinsic().contains("\"Ref\":\"AllowedOrigins\""),
                origins.intrinsic());
        assertTrue(webchannel.environment().get("ROLE_ARN").intrinsic().contains("\"Fn::GetAtt\":[\"WebChannelRole\",\"Arn\"]"));
        assertTrue(webchannel.environment().get("ACCOUNT_SID").intrinsic().contains("Fn::Sub"));
        assertTrue(webchannel.environment().get("TWILIO_SECRET_ARN").intrinsic().contains("Fn::If"));
        assertEquals(List.of("JAVA_TOOL_OPTIONS", "ALLOWED_ORIGINS", "TOKEN_TTL_SECONDS", "TWILIO_SECRET_ARN",
                "ACCOUNT_SID", "ROLE_ARN"), List.copyOf(webchannel.environment().keySet()), "globals first, then the function's");
        assertFalse(template.function("TokenFunction").environment().containsKey("ROLE_ARN"));

        assertEquals("3600", template.parameterDefaults().get("TokenTtlSeconds"));
        assertEquals("http://localhost:3000", template.parameterDefaults().get("AllowedOrigins"));
    }

    @Test
    void treeKeepsTagsAsLongFormAndYamlCoreTagsAsValues() throws Exception {
        JsonNode tree = SamTemplate.readTree(new StringReader("""
                a: !Ref Foo
                b: !GetAtt Role.Arn
                c: !Sub 'x-${AWS::Region}'
                d: !If [Cond, !Ref A, b]
                e: !Base64 {Fn::Sub: y}
                f: !!str 42
                g: !Condition IsProd
                h: [1, true, null, 2.5]
                """));
        assertEquals("{\"Ref\":\"Foo\"}", tree.get("a").toString());
        assertEquals("{\"Fn::GetAtt\":[\"Role\",\"Arn\"]}", tree.get("b").toString());
        assertEquals("{\"Fn::Sub\":\"x-${AWS::Region}\"}", tree.get("c").toString());
        assertEquals("{\"Fn::If\":[\"Cond\",{\"Ref\":\"A\"},\"b\"]}", tree.get("d").toString());
        assertEquals("{\"Fn::Base64\":{\"Fn::Sub\":\"y\"}}", tree.get("e").toString());
        assertEquals("42", tree.get("f").asText());
        assertEquals("{\"Condition\":\"IsProd\"}", tree.get("g").toString());
        assertEquals("[1,true,null,2.5]", tree.get("h").toString());
    }

    @Test
    void readsTheHttpApiCorsConfiguration() throws Exception {
        Cors cors = SamTemplate.load(fixture()).cors().orElseThrow();
        assertEquals(List.of("POST"), cors.allowMethods());
        assertEquals(List.of("content-type"), cors.allowHeaders());
        assertEquals(List.of("x-request-id"), cors.exposeHeaders());
        assertEquals(600, cors.maxAgeSeconds());
        assertFalse(cors.allowCredentials());
        assertEquals(List.of(), cors.literalAllowOrigins(), "!Ref AllowedOrigins is not a literal list");
    }

    @Test
    void corsFromGlobalsOrAbsent(@org.junit.jupiter.api.io.TempDir Path dir) {
        SamTemplate globals = SamTemplate.parse("""
                Globals:
                  HttpApi:
                    CorsConfiguration:
                      AllowOrigins: ['https://example.com']
                      AllowMethods: [GET, POST]
                Resources: {}
                """, dir);
        Cors cors = globals.cors().orElseThrow();
        assertEquals(List.of("https://example.com"), cors.literalAllowOrigins());
        assertNull(cors.maxAgeSeconds());
        assertTrue(SamTemplate.parse("Resources: {}\n", dir).cors().isEmpty());
    }

    @Test
    void routesLikeApiGateway(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Resources:
                  Exact:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Exact::handleRequest
                      Events:
                        E: {Type: HttpApi, Properties: {Path: /pets/dog, Method: GET}}
                  Param:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Param::handleRequest
                      Events:
                        E: {Type: HttpApi, Properties: {Path: '/pets/{name}', Method: ANY}}
                  Greedy:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Greedy::handleRequest
                      Events:
                        E: {Type: HttpApi, Properties: {Path: '/files/{proxy+}', Method: get}}
                  Fallback:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Fallback::handleRequest
                      Events:
                        E: {Type: HttpApi}
                """);
        SamTemplate template = SamTemplate.load(file);
        assertEquals("Exact", template.route("get", "/pets/dog").orElseThrow().functionId());
        assertEquals("Param", template.route("POST", "/pets/dog").orElseThrow().functionId(), "ANY catches other methods");
        assertEquals("Param", template.route("GET", "/pets/cat").orElseThrow().functionId());
        assertEquals("Greedy", template.route("GET", "/files/a/b/c").orElseThrow().functionId());
        assertEquals("Fallback", template.route("GET", "/files").orElseThrow().functionId());
        assertEquals("$default", template.route("DELETE", "/nothing").orElseThrow().routeKey());
        assertEquals("GET /pets/dog", template.route("GET", "/pets/dog").orElseThrow().routeKey());
        assertEquals(SamTemplate.DEFAULT_TIMEOUT_SECONDS, template.function("Exact").timeoutSeconds());
        assertEquals(SamTemplate.DEFAULT_MEMORY_MB, template.function("Exact").memoryMb());
    }

    @Test
    void unknownRouteIsEmptyWithoutDefault() throws Exception {
        SamTemplate template = SamTemplate.load(fixture());
        assertTrue(template.route("GET", "/initWebchat").isEmpty());
        assertTrue(template.route("POST", "/initWebchat/").isEmpty());
        assertTrue(template.route("POST", "/").isEmpty());
        assertEquals("TokenFunction", template.route("POST", "/refreshToken").orElseThrow().functionId());
    }

    @Test
    void rejectsWhatIsNotATemplate(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> SamTemplate.parse("- just\n- a list\n", dir));
        assertThrows(IllegalArgumentException.class, () -> SamTemplate.parse("""
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: x, Timeout: soon}
                """, dir));
    }

    @Test
    void corsFromTheInlineOpenApiExtension(@org.junit.jupiter.api.io.TempDir Path dir) {
        SamTemplate template = SamTemplate.parse("""
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      DefinitionBody:
                        openapi: "3.0.1"
                        info: {title: !Ref AWS::StackName, version: "1.0"}
                        paths: {}
                        x-amazon-apigateway-cors:
                          allowOrigins: !Ref AllowedOrigins
                          allowMethods: [POST, OPTIONS]
                          allowHeaders: [content-type]
                          exposeHeaders: [x-amzn-requestid]
                          allowCredentials: true
                          maxAge: 600
                """, dir);
        Cors cors = template.cors().orElseThrow();
        assertEquals(List.of("POST", "OPTIONS"), cors.allowMethods());
        assertEquals(List.of("content-type"), cors.allowHeaders());
        assertEquals(List.of("x-amzn-requestid"), cors.exposeHeaders());
        assertEquals(600, cors.maxAgeSeconds());
        assertTrue(cors.allowCredentials());
        assertEquals(List.of(), cors.literalAllowOrigins());
    }

    /** The project's own template.yaml, found through the multi-module root surefire passes on. */
    @Test
    void theProjectTemplate() {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "../.."));
        Path file = root.resolve("template.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(file), "no template.yaml yet");
        SamTemplate template = SamTemplate.load(file);
        assertFalse(template.functions().isEmpty());
        for (SamFunction function : template.functions()) {
            // A class, no method: the runtime hands a RequestStreamHandler the event's bytes as they are.
            assertTrue(function.handler() != null && !function.handler().contains("::"), function.toString());
            assertTrue(function.codeUri() != null && function.codeUri().endsWith(".zip"), function.toString());
            assertTrue(function.timeoutSeconds() > 0 && function.memoryMb() >= 128, function.toString());
            assertFalse(function.routes().isEmpty(), function.logicalId() + " has no HttpApi route");
        }
        assertEquals("com.flexwebchat.webchannel.WebChannelHandler",
                template.function(template.route("POST", "/initWebchat").orElseThrow()).handler());
        assertEquals("com.flexwebchat.token.RefreshTokenHandler",
                template.function(template.route("POST", "/refreshToken").orElseThrow()).handler());
        assertTrue(template.cors().orElseThrow().allowMethods().contains("POST"));
    }
}
