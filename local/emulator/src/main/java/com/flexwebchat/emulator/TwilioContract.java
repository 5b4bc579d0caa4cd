package com.flexwebchat.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Twilio's REST contract, read from Twilio's OpenAPI specs ({@code twilio_*.json}), checking recorded exchanges
 * against it: a request must name an operation of the specs and send only parameters it declares, with values
 * its schemas accept; a response must be documented for its status and validate against its schema (error
 * statuses, which Twilio's specs don't document, must have Twilio's error shape).
 *
 * <p>A recorded path {@code /{sub}/...} is matched against the specs whose server is
 * {@code https://{sub}.twilio.com}.
 */
public final class TwilioContract {

    /** System property naming the specs directory. */
    public static final String DIRECTORY_PROPERTY = "twilio.oai.dir";
    /** Environment variable naming the specs directory, used when the property is unset. */
    public static final String DIRECTORY_ENV = "TWILIO_OAI_DIR";
    static final String HOW_TO_LOCATE = "Set -D" + DIRECTORY_PROPERTY + "=DIR or " + DIRECTORY_ENV
            + "=DIR, or keep the specs at ../shared/twilio-oai beside the Maven project root.";

    private static final Map<Path, TwilioContract> LOADED = new ConcurrentHashMap<>();

    /**
     * Twilio's error body; the specs leave errors undocumented.
     *
     * @see <a href="https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions">Exceptions</a>
     */
    private static final JsonNode ERROR_SCHEMA = parse("{\"type\":\"object\",\"properties\":{"
            + "\"code\":{\"type\":\"integer\"},\"message\":{\"type\":\"string\"},"
            + "\"more_info\":{\"type\":\"string\",\"format\":\"uri\"},\"status\":{\"type\":\"integer\"}}}");
    private static final SchemaValidator PLAIN = new SchemaValidator(ERROR_SCHEMA);

    private final Path directory;
    private final List<SpecOperation> operations;
    /** Lower-case names of every header any operation declares as a parameter (but Authorization). */
    private final Set<String> headerParameters;

    private TwilioContract(Path directory, List<SpecOperation> operations) {
        this.directory = directory;
        this.operations = List.copyOf(operations);
        Set<String> headers = new HashSet<>();
        for (SpecOperation operation : operations) {
            for (JsonNode parameter : operation.parameters("header")) {
                headers.add(parameter.path("name").asText().toLowerCase(Locale.ROOT));
            }
        }
        headers.remove("authorization"); // credentials travel in it for every operation
        this.headerParameters = Set.copyOf(headers);
    }

    /**
     * The contract from the specs directory named by system property {@value #DIRECTORY_PROPERTY}, else
     * environment variable {@value #DIRECTORY_ENV}, else {@code ../shared/twilio-oai} beside the Maven
     * multi-module root (the nearest directory above {@code user.dir} holding {@code .mvn}); empty when none of
     * these exists. Loaded once per directory.
     */
    public static Optional<TwilioContract> load() {
        return locate().map(TwilioContract::load);
    }

    /** The contract from the {@code twilio_*.json} specs in {@code directory}; loaded once per directory. */
    public static TwilioContract load(Path directory) {
        return LOADED.computeIfAbsent(directory.toAbsolutePath().normalize(), TwilioContract::read);
    }

    /** The specs directory {@link #load()} would use, if it exists. */
    public static Optional<Path> locate() {
        String configured = Optional.ofNullable(System.getProperty(DIRECTORY_PROPERTY))
                .filter(s -> !s.isBlank())
                .orElse(System.getenv(DIRECTORY_ENV));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured)).filter(TwilioContract::hasSpecs);
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn")) && dir.getParent() != null) {
                return Optional.of(dir.getParent().resolve("shared").resolve("twilio-oai")).filter(TwilioContract::hasSpecs);
            }
        }
        return Optional.empty();
    }

    public Path directory() {
        return directory;
    }

    /**
     * The spec operation a recorded request addresses, if any, as {@code METHOD https://{sub}.twilio.com{template}
     * (operationId)}; operation ids alone are not unique across Twilio's specs.
     */
    public Optional<String> operation(RecordedRequest request) {
        return resolve(request, new ArrayList<>()).map(resolved -> resolved.operation().describe());
    }

    /** Both checks, with the response body the request recorded. */
    public List<String> check(RecordedRequest request) {
        Set<String> violations = new LinkedHashSet<>(checkRequest(request));
        violations.addAll(checkResponse(request, request.responseBody()));
        return List.copyOf(violations);
    }

    /**
     * How a request breaks the contract: an operation the specs don't have; path, query, header or form
     * parameters that are undeclared, missing though required, or whose values the declared schema rejects.
     * Headers count as parameters when some operation of the specs declares them (e.g.
     * {@code X-Twilio-Webhook-Enabled}, {@code Ui-Version}); ordinary HTTP headers are not checked.
     */
    public List<String> checkRequest(RecordedRequest r) {
        List<String> out = new ArrayList<>();
        Optional<Resolved> resolved = resolve(r, out);
        if (resolved.isEmpty()) {
            return out;
        }
        SpecOperation op = resolved.get().operation();
        SchemaValidator schemas = op.schemas();
        for (JsonNode parameter : op.parameters("path")) {
            String name = parameter.path("name").asText();
            String value = resolved.get().pathParams().get(name);
            schemas.validateText(value, parameter.path("schema"), "path parameter " + name, out);
        }
        checkParameters(op, "query", r.queryParams(), name -> true, out);
        checkParameters(op, "header", r.headers(), headerParameters::contains, out);
        checkForm(op, r.form(), out);
        return prefixed(r, op, out);
    }

    /**
     * How a response breaks the contract: a status the operation doesn't document (error statuses excepted), or
     * a body that does not validate against the documented schema, property by property (undeclared or missing
     * properties, types, nullability, enums, patterns, formats). Error bodies must have Twilio's error shape.
     */
    public List<String> checkResponse(RecordedRequest r, String responseBody) {
        List<String> out = new ArrayList<>();
        Optional<Resolved> resolved = resolve(r, out);
        if (resolved.isEmpty()) {
            return out;
        }
        SpecOperation op = resolved.get().operation();
        Optional<JsonNode> documented = op.response(r.status());
        if (documented.isEmpty()) {
            if (r.status() >= 400) {
                checkErrorBody(r, responseBody, out);
            } else {
                out.add("status " + r.status() + " is not a documented response (documented: " + op.documentedStatuses() + ")");
            }
            return prefixed(r, op, out);
        }
        JsonNode schema = documented.get().path("content").path("application/json").path("schema");
        boolean empty = responseBody == null || responseBody.isEmpty();
        if (schema.isMissingNode()) {
            if (!empty) {
                out.add("status " + r.status() + " has no documented body, but one was sent");
            }
        } else {
            parseBody(responseBody, out).ifPresent(body -> op.schemas().validate(body, schema, "response", out));
        }
        return prefixed(r, op, out);
    }

    // --- request checks ------------------------------------------------------------------------------------

    private static void checkParameters(SpecOperation op, String in, Map<String, List<String>> sent,
                                        Predicate<String> isParameter, List<String> out) {
        boolean caseInsensitive = in.equals("header");
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode parameter : op.parameters(in)) {
            String name = parameter.path("name").asText();
            declared.put(caseInsensitive ? name.toLowerCase(Locale.ROOT) : name, parameter);
        }
        sent.forEach((name, values) -> {
            JsonNode parameter = declared.get(name);
            if (parameter == null) {
                if (isParameter.test(name)) {
                    out.add(in + " parameter " + name + " is not declared (declared: " + declared.keySet() + ")");
                }
                return;
            }
            for (String value : values) {
                op.schemas().validateText(value, parameter.path("schema"), in + " parameter " + name, out);
            }
        });
        declared.forEach((name, parameter) -> {
            if (parameter.path("required").asBoolean(false) && !sent.containsKey(name)) {
                out.add("required " + in + " parameter " + name + " is missing");
            }
        });
    }

    private static void checkForm(SpecOperation op, Map<String, List<String>> form, List<String> out) {
        Optional<JsonNode> schema = op.formSchema();
        if (schema.isEmpty()) {
            if (!form.isEmpty()) {
                out.add("form parameters " + form.keySet() + " sent, but the operation takes no form body");
            }
            return;
        }
        JsonNode properties = schema.get().path("properties");
        form.forEach((name, values) -> {
            if (!properties.has(name)) {
                List<String> declared = new ArrayList<>();
                properties.fieldNames().forEachRemaining(declared::add);
                out.add("form parameter " + name + " is not declared (declared: " + declared + ")");
                return;
            }
            for (String value : values) {
                op.schemas().validateText(value, properties.get(name), "form parameter " + name, out);
            }
        });
        for (JsonNode required : schema.get().path("required")) {
            if (!form.containsKey(required.asText())) {
                out.add("required form parameter " + required.asText() + " is missing");
            }
        }
    }

    // --- response checks -----------------------------------------------------------------------------------

    private static void checkErrorBody(RecordedRequest r, String responseBody, List<String> out) {
        parseBody(responseBody, out).ifPresent(body -> {
            PLAIN.validate(body, ERROR_SCHEMA, "error response", out);
            if (body.path("status").asInt(-1) != r.status()) {
                out.add("error response.status " + body.path("status") + " differs from the HTTP status " + r.status());
            }
        });
    }

    private static Optional<JsonNode> parseBody(String body, List<String> out) {
        if (body == null || body.isEmpty()) {
            out.add("response has no body");
            return Optional.empty();
        }
        try {
            return Optional.of(Json.parse(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.add("response is not JSON: " + e.getOriginalMessage());
            return Optional.empty();
        }
    }

    // --- resolving operations ------------------------------------------------------------------------------

    private record Resolved(SpecOperation operation, Map<String, String> pathParams) {
    }

    /** The operation a recorded request addresses, the most specific template winning. */
    private Optional<Resolved> resolve(RecordedRequest r, List<String> out) {
        String path = r.path();
        int slash = path.indexOf('/', 1);
        String subdomain = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String specPath = slash < 0 ? "/" : path.substring(slash);
        Optional<Resolved> best = Optional.empty();
        boolean pathKnown = false;
        for (SpecOperation op : operations) {
            if (!op.subdomain().equals(subdomain)) {
                continue;
            }
            Optional<Map<String, String>> params = op.template().match(specPath);
            if (params.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (op.method().equals(r.method()) && (best.isEmpty()
                    || op.template().literalSegments() > best.get().operation().template().literalSegments())) {
                best = Optional.of(new Resolved(op, params.get()));
            }
        }
        if (best.isEmpty()) {
            out.add(r.method() + " " + r.path() + ": " + (pathKnown
                    ? "the specs declare no " + r.method() + " operation on this path"
                    : "no operation of https://" + subdomain + ".twilio.com in the specs matches " + specPath));
        }
        return best;
    }

    private static List<String> prefixed(RecordedRequest r, SpecOperation op, List<String> violations) {
        List<String> result = new ArrayList<>();
        for (String violation : violations) {
            result.add(r.method() + " " + r.path() + " (" + op.id() + "): " + violation);
        }
        return result;
    }

    // --- loading -------------------------------------------------------------------------------------------

    private static TwilioContract read(Path directory) {
        List<SpecOperation> operations = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(TwilioContract::isSpecFile).sorted(Comparator.naturalOrder()).toList()) {
                JsonNode spec = Json.MAPPER.readTree(file.toFile());
                SchemaValidator schemas = new SchemaValidator(spec);
                spec.path("paths").properties().forEach(entry -> {
                    JsonNode pathItem = entry.getValue();
                    String subdomain = subdomain(pathItem.has("servers") ? pathItem : spec, file);
                    for (String method : List.of("get", "post", "put", "patch", "delete")) {
                        if (pathItem.has(method)) {
                            operations.add(new SpecOperation(subdomain, method.toUpperCase(Locale.ROOT),
                                    new PathTemplate(entry.getKey()), pathItem.get(method), schemas));
                        }
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Twilio OpenAPI specs in " + directory, e);
        }
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("no Twilio OpenAPI specs (twilio_*.json) in " + directory);
        }
        return new TwilioContract(directory, operations);
    }

    /** {@code https://conversations.twilio.com} gives {@code conversations}. */
    private static String subdomain(JsonNode withServers, Path file) {
        String url = withServers.path("servers").path(0).path("url").asText("");
        String host = URI.create(url).getHost();
        if (host == null || !host.endsWith(".twilio.com")) {
            throw new IllegalArgumentException("unexpected server URL '" + url + "' in " + file);
        }
        return host.substring(0, host.length() - ".twilio.com".length());
    }

    private static boolean hasSpecs(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(TwilioContract::isSpecFile);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isSpecFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("twilio_") && name.endsWith(".json") && Files.isRegularFile(file);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
