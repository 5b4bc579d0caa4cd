package com.flexwebchat.harness;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code sam local invoke <LogicalId> -t template.yaml -e <event> --env-vars env.json} does,
 * minus the container: take the function's handler from template.yaml, build it through its
 * no-argument constructor with the env file's variables, and hand it the event file's bytes with
 * the template's timeout, as the Java runtime does with a {@code RequestStreamHandler}; the answer
 * is read back with the runtime's own serialiser, as API Gateway would see it.
 */
public final class SamLocalInvoke {

    private SamLocalInvoke() {
    }

    /** The repository root: where template.yaml lives (surefire passes it as {@code project.root}). */
    public static Path projectRoot() {
        String configured = System.getProperty("project.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path candidate = dir.toAbsolutePath(); candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve("template.yaml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("template.yaml not found above " + dir);
    }

    /** One function's section of an {@code --env-vars} file ({@code {"LogicalId": {"KEY": "value"}}}). */
    public static Map<String, String> envVars(Path envFile, String logicalId) {
        try {
            JsonNode section = Json.parse(Files.readString(envFile)).path(logicalId);
            Map<String, String> variables = new LinkedHashMap<>();
            section.fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
            return variables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code sam local invoke <logicalId> -e events/<event> --env-vars env.example.json}, with
     * the Twilio base URL pointed at {@code twilioBaseUrl} (an emulator). The function's log
     * lines are not printed.
     */
    public static APIGatewayV2HTTPResponse invokeExample(String logicalId, String event, String twilioBaseUrl) {
        Path root = projectRoot();
        Map<String, String> env = new LinkedHashMap<>(envVars(root.resolve("env.example.json"), logicalId));
        env.put("TWILIO_API_BASE_URL", twilioBaseUrl);
        APIGatewayV2HTTPResponse[] response = {null};
        Log.muted(() -> response[0] = invoke(logicalId, root.resolve("events").resolve(event), env));
        return response[0];
    }

    public static APIGatewayV2HTTPResponse invoke(String logicalId, Path eventFile, Map<String, String> envVars) {
        SamTemplate template = SamTemplate.load(projectRoot().resolve("template.yaml"));
        SamTemplate.SamFunction function = template.function(logicalId);
        String event;
        try {
            event = Files.readString(eventFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // What the Lambda runtime sets whatever the env file says: sam local invoke's container has the
        // Region (us-east-1 unless --region says otherwise).
        Map<String, String> env = new LinkedHashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "us-east-1"));
        env.putAll(envVars);
        return HttpApiEvents.responseFromJson(HttpApiEvents.invoke(Handlers.instantiate(function.handler(), env), event,
                new LocalContext(logicalId, Duration.ofSeconds(function.timeoutSeconds()))));
    }
}
