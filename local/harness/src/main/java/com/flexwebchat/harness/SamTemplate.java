package com.flexwebchat.harness;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of the AWS SAM template ({@code template.yaml}) that running the API locally needs:
 * each {@code AWS::Serverless::Function} (handler, artifact, timeout, memory, environment, with
 * {@code Globals.Function} merged in as SAM merges it), the {@code HttpApi} routes that reach it,
 * and the HTTP API's CORS configuration.
 *
 * <p>CloudFormation's short-form intrinsics ({@code !Ref X}, {@code !Sub ...}, {@code !GetAtt a.b},
 * {@code !If [...]}, ...) are YAML local tags. Jackson's YAML parser accepts any tag but its tree
 * model silently drops it, so {@code !Ref AllowedOrigins} would read as the literal string
 * {@code "AllowedOrigins"}. This class builds the tree itself and turns each tagged node into its
 * long form ({@code {"Ref": "X"}}, {@code {"Fn::Sub": ...}}, {@code {"Condition": ...}}), so a
 * value is either a literal or recognisably an intrinsic.
 */
public final class SamTemplate {

    /** SAM's defaults when neither the function nor {@code Globals.Function} sets them. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int DEFAULT_MEMORY_MB = 128;

    private static final String YAML_CORE_TAG_PREFIX = "tag:yaml.org,2002:";

    private final Path file;
    private final Map<String, String> parameterDefaults;
    private final List<SamFunction> functions;
    private final Optional<Cors> cors;
    private final String runtime;

    /**
     * One function.
     *
     * @param codeUri     as written in the template (for a Java zip function, the artifact's path,
     *                    relative to the template's folder); see {@link SamTemplate#artifact(SamFunction)}
     * @param environment {@code Environment.Variables}, globals first, then the function's own
     * @param routes      the {@code HttpApi} events that invoke it
     */
    public record SamFunction(String logicalId, String handler, String codeUri, int timeoutSeconds, int memoryMb,
                              Map<String, EnvValue> environment, List<SamRoute> routes) {

        public SamFunction {
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            routes = List.copyOf(routes);
        }

        /** The literal value of an environment variable, when the template gives one. */
        public Optional<String> literalEnv(String name) {
            EnvValue value = environment.get(name);
            return value == null ? Optional.empty() : Optional.ofNullable(value.literal());
        }
    }

    /**
     * An {@code HttpApi} event. {@code method} is upper case ({@code ANY} matches every method);
     * a function event without Path and Method is the API's {@code $default} route, with
     * {@code method} and {@code path} both {@code "$default"}.
     *
     * @param functionId the logical id of the function it invokes; {@link SamTemplate#function(String)}
     */
    public record SamRoute(String method, String path, String functionId) {

        public static final String DEFAULT = "$default";

        /** The route key API Gateway puts in the event: {@code "POST /initWebchat"} or {@code "$default"}. */
        public String routeKey() {
            return isDefault() ? DEFAULT : method + " " + path;
        }

        public boolean isDefault() {
            return DEFAULT.equals(path);
        }
    }

    /**
     * An environment variable's value: a {@code literal}, a {@code Ref} to a template
     * {@code parameter}, or another intrinsic ({@code Sub}, {@code GetAtt}, ...) that only a
     * deployment can resolve, shown in {@code intrinsic}.
     */
    public record EnvValue(String literal, String parameter, String intrinsic) {

        public boolean isLiteral() {
            return literal != null;
        }
    }

    /**
     * The HTTP API's CORS configuration. Allowed origins are not here: the template feeds
     * them from the same parameter as the functions' {@code ALLOWED_ORIGINS}, so a local run
     * takes them from that setting; {@code literalAllowOrigins} holds the ones written out
     * literally in the template, if any.
     *
     * @param maxAgeSeconds null when not configured (no {@code Access-Control-Max-Age} header)
     */
    public record Cors(List<String> allowMethods, List<String> allowHeaders, List<String> exposeHeaders,
                       Integer maxAgeSeconds, boolean allowCredentials, List<String> literalAllowOrigins) {

        public Cors {
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
            literalAllowOrigins = List.copyOf(literalAllowOrigins);
        }
    }

    private SamTemplate(Path file, Map<String, String> parameterDefaults, List<SamFunction> functions,
                        Optional<Cors> cors, String runtime) {
        this.file = file;
        this.parameterDefaults = Collections.unmodifiableMap(parameterDefaults);
        this.functions = List.copyOf(functions);
        this.cors = cors;
        this.runtime = runtime;
    }

    public static SamTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return parse(file.toAbsolutePath(), readTree(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Parses template text; relative CodeUris resolve against {@code directory}. */
    public static SamTemplate parse(String yaml, Path directory) {
        try {
            return parse(directory.resolve("template.yaml").toAbsolutePath(), readTree(new StringReader(yaml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    /** {@code Globals.Function.Runtime} (such as java21), if the template declares one. */
    public Optional<String> runtime() {
        return Optional.ofNullable(runtime);
    }

    public List<SamFunction> functions() {
        return functions;
    }

    public SamFunction function(String logicalId) {
        return functions.stream()
                .filter(function -> function.logicalId().equals(logicalId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No function " + logicalId + " in " + file));
    }

    /** Every HttpApi route, in template order. */
    public List<SamRoute> routes() {
        return functions.stream().flatMap(function -> function.routes().stream()).toList();
    }

    /**
     * The route API Gateway would pick for a request: an exact path before one with
     * {@code {parameters}}, a greedy {@code {proxy+}} last, a route for the method before
     * {@code ANY}, and {@code $default} when nothing else matches
     * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
     */
    public Optional<SamRoute> route(String method, String path) {
        String upper = method.toUpperCase(Locale.ROOT);
        Comparator<SamRoute> priority = Comparator
                .comparingInt((SamRoute route) -> pathRank(route.path()))
                .thenComparingInt(route -> -literalSegments(route.path()))
                .thenComparingInt(route -> "ANY".equals(route.method()) ? 1 : 0);
        Optional<SamRoute> best = routes().stream()
                .filter(route -> !route.isDefault())
                .filter(route -> route.method().equals(upper) || "ANY".equals(route.method()))
                .filter(route -> pathMatches(route.path(), path))
                .min(priority);
        if (best.isPresent()) {
            return best;
        }
        return routes().stream().filter(SamRoute::isDefault).findFirst();
    }

    /** The function a route invokes. */
    public SamFunction function(SamRoute route) {
        return function(route.functionId());
    }

    /** The deployment artifact a function's CodeUri names, resolved against the template's folder. */
    public Path artifact(SamFunction function) {
        if (function.codeUri() == null) {
            throw new IllegalStateException("Function " + function.logicalId() + " has no CodeUri");
        }
        Path dir = file.getParent() == null ? Path.of(".") : file.getParent();
        return dir.resolve(function.codeUri()).normalize();
    }

    /** Template parameters' {@code Default} values, for resolving {@code !Ref Parameter}. */
    public Map<String, String> parameterDefaults() {
        return parameterDefaults;
    }

    /** The HTTP API's CORS configuration, when it has one. */
    public Optional<Cors> cors() {
        return cors;
    }

    // ---------------------------------------------------------------- parsing

    private static SamTemplate parse(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " is not a SAM template (no top-level mapping)");
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        root.path("Parameters").fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue().path("Default");
            if (value.isValueNode()) {
                defaults.put(entry.getKey(), value.asText());
            }
        });

        JsonNode globals = root.path("Globals").path("Function");
        List<SamFunction> functions = new ArrayList<>();
        JsonNode resources = root.path("Resources");
        Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!"AWS::Serverless::Function".equals(entry.getValue().path("Type").asText())) {
                continue;
            }
            functions.add(function(entry.getKey(), entry.getValue().path("Properties"), globals, defaults));
        }
        return new SamTemplate(file, defaults, functions, cors(root, resources), text(globals.path("Runtime")));
    }

    private static SamFunction function(String id, JsonNode properties, JsonNode globals, Map<String, String> parameterDefaults) {
        Map<String, EnvValue> environment = new LinkedHashMap<>();
        for (JsonNode source : List.of(globals, properties)) {
            source.path("Environment").path("Variables").fields()
                    .forEachRemaining(variable -> environment.put(variable.getKey(), envValue(variable.getValue())));
        }
        List<SamRoute> routes = new ArrayList<>();
        properties.path("Events").fields().forEachRemaining(event -> {
            JsonNode definition = event.getValue();
            if (!"HttpApi".equals(definition.path("Type").asText())) {
                return;
            }
            JsonNode eventProperties = definition.path("Properties");
            String path = text(eventProperties.path("Path"));
            String method = text(eventProperties.path("Method"));
            if (path == null && method == null) {
                routes.add(new SamRoute(SamRoute.DEFAULT, SamRoute.DEFAULT, id));
            } else {
                routes.add(new SamRoute(method == null ? "ANY" : method.toUpperCase(Locale.ROOT),
                        path == null ? "/" : path, id));
            }
        });
        return new SamFunction(
                id,
                text(merged(properties, globals, "Handler")),
                text(merged(properties, globals, "CodeUri")),
                integer(merged(properties, globals, "Timeout"), parameterDefaults, DEFAULT_TIMEOUT_SECONDS, id + ".Timeout"),
                integer(merged(properties, globals, "MemorySize"), parameterDefaults, DEFAULT_MEMORY_MB, id + ".MemorySize"),
                environment,
                routes);
    }

    /**
     * The HttpApi's CORS settings: its {@code CorsConfiguration} property, or the
     * {@code x-amazon-apigateway-cors} extension of its inline OpenAPI {@code DefinitionBody}
     * (where the project's template keeps them, because SAM drops AllowMethods/AllowHeaders/MaxAge
     * when CorsConfiguration.AllowOrigins is an intrinsic), or Globals.HttpApi's CorsConfiguration.
     */
    private static Optional<Cors> cors(JsonNode root, JsonNode resources) {
        JsonNode configuration = null;
        Iterator<JsonNode> it = resources.elements();
        while (configuration == null && it.hasNext()) {
            JsonNode resource = it.next();
            if (!"AWS::Serverless::HttpApi".equals(resource.path("Type").asText())) {
                continue;
            }
            JsonNode properties = resource.path("Properties");
            if (properties.has("CorsConfiguration")) {
                configuration = properties.get("CorsConfiguration");
            } else if (properties.path("DefinitionBody").has("x-amazon-apigateway-cors")) {
                configuration = properties.path("DefinitionBody").get("x-amazon-apigateway-cors");
            }
        }
        if (configuration == null && root.path("Globals").path("HttpApi").has("CorsConfiguration")) {
            configuration = root.path("Globals").path("HttpApi").path("CorsConfiguration");
        }
        if (configuration == null || configuration.isNull()
                || (configuration.isBoolean() && !configuration.asBoolean())) {
            return Optional.empty();
        }
        if (configuration.isBoolean()) {
            // CorsConfiguration: true is SAM's shorthand for every origin, method and header.
            return Optional.of(new Cors(List.of("*"), List.of("*"), List.of(), null, false, List.of("*")));
        }
        JsonNode maxAge = either(configuration, "MaxAge");
        return Optional.of(new Cors(
                strings(either(configuration, "AllowMethods")),
                strings(either(configuration, "AllowHeaders")),
                strings(either(configuration, "ExposeHeaders")),
                maxAge.isNumber() || (maxAge.isTextual() && maxAge.asText().matches("\\d+")) ? maxAge.asInt() : null,
                either(configuration, "AllowCredentials").asBoolean(false),
                strings(either(configuration, "AllowOrigins"))));
    }

    /** SAM's {@code AllowMethods} or the OpenAPI extension's {@code allowMethods}. */
    private static JsonNode either(JsonNode configuration, String samKey) {
        String openApiKey = Character.toLowerCase(samKey.charAt(0)) + samKey.substring(1);
        return configuration.has(samKey) ? configuration.get(samKey) : configuration.path(openApiKey);
    }

    private static JsonNode merged(JsonNode properties, JsonNode globals, String key) {
        return properties.has(key) ? properties.get(key) : globals.path(key);
    }

    private static EnvValue envValue(JsonNode value) {
        if (value.isValueNode()) {
            return new EnvValue(value.asText(), null, null);
        }
        if (value.isObject() && value.size() == 1 && value.has("Ref") && value.get("Ref").isTextual()) {
            return new EnvValue(null, value.get("Ref").asText(), null);
        }
        return new EnvValue(null, null, value.toString());
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static int integer(JsonNode node, Map<String, String> parameterDefaults, int fallback, String what) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        String value = node.isObject() && node.has("Ref") ? parameterDefaults.get(node.get("Ref").asText()) : node.asText();
        try {
            return Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a whole number: " + node);
        }
    }

    /** A list written as a YAML sequence; intrinsics (e.g. {@code !Split [",", !Ref X]}) give no literal values. */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> {
                if (element.isValueNode()) {
                    values.add(element.asText());
                }
            });
        } else if (node.isTextual()) {
            values.add(node.asText());
        }
        return values;
    }

    // ---------------------------------------------------------------- YAML with CloudFormation tags

    static JsonNode readTree(Reader reader) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(reader)) {
            JsonToken token = parser.nextToken();
            return token == null ? null : value(parser, token);
        }
    }

    private static JsonNode value(YAMLParser parser, JsonToken token) throws IOException {
        String tag = parser.getTypeId();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode node;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                if (next != JsonToken.END_OBJECT) {
                    throw new IOException("Unexpected " + next + " in a mapping at " + parser.currentLocation());
                }
                node = object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new IOException("Unterminated sequence");
                    }
                    array.add(value(parser, next));
                }
                node = array;
            }
            case VALUE_STRING -> node = nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> node = nodes.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> node = nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> node = nodes.booleanNode(true);
            case VALUE_FALSE -> node = nodes.booleanNode(false);
            case VALUE_NULL -> node = nodes.nullNode();
            default -> throw new IOException("Unexpected YAML token " + token + " at " + parser.currentLocation());
        }
        return tag == null ? node : intrinsic(tag, node);
    }

    /** {@code !Ref X} → {@code {"Ref": "X"}}; {@code !Sub s} → {@code {"Fn::Sub": s}}; YAML's own tags are kept as values. */
    private static JsonNode intrinsic(String tag, JsonNode node) {
        String name = tag.startsWith("!") ? tag.substring(1) : tag;
        if (name.isEmpty() || tag.startsWith(YAML_CORE_TAG_PREFIX) || name.startsWith("!")) {
            return node;
        }
        String key = "Ref".equals(name) || "Condition".equals(name) ? name : "Fn::" + name;
        if ("GetAtt".equals(name) && node.isTextual()) {
            // The short form's "Resource.Attribute" is the long form's two-element list.
            String text = node.asText();
            int dot = text.indexOf('.');
            ArrayNode parts = JsonNodeFactory.instance.arrayNode();
            parts.add(dot < 0 ? text : text.substring(0, dot));
            if (dot >= 0) {
                parts.add(text.substring(dot + 1));
            }
            node = parts;
        }
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        wrapped.set(key, node);
        return wrapped;
    }

    static boolean pathMatches(String template, String path) {
        String[] want = segments(template);
        String[] have = segments(path);
        for (int i = 0; i < want.length; i++) {
            String segment = want[i];
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                return have.length > i; // greedy: one or more remaining segments
            }
            if (i >= have.length) {
                return false;
            }
            boolean parameter = segment.startsWith("{") && segment.endsWith("}");
            if (!parameter && !segment.equals(have[i])) {
                return false;
            }
            if (parameter && have[i].isEmpty()) {
                return false;
            }
        }
        return want.length == have.length;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** 0: no parameters; 1: {parameters}; 2: greedy {proxy+}. */
    private static int pathRank(String template) {
        if (template.contains("+}")) {
            return 2;
        }
        return template.contains("{") ? 1 : 0;
    }

    private static int literalSegments(String template) {
        int count = 0;
        for (String segment : segments(template)) {
            if (!segment.startsWith("{")) {
                count++;
            }
        }
        return count;
    }
}
