package com.flexwebchat.emulator.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.PathTemplate;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

/**
 * Twilio's REST contract, read from Twilio's OpenAPI specs ({@code twilio_*.json}), checking recorded exchanges
 * against it: a request must name an operation of the specs and send only parameters it declares, with values
 * its schemas accept; a response must be documented for its status and validate against its schema (error
 * statuses, which Twilio's specs don't document, must have Twilio's error shape). Other modules reach it through
 * {@link com.flexwebchat.emulator.TwilioContract}.
 *
 * <p>A recorded path {@code /{sub}/...} is matched against the specs whose server is
 * {@code https://{sub}.twilio.com}. The few operations Twilio documents outside its specs (the Media Content
 * Service's, on {@code https://mcs.us1.twilio.com} and its media host) are checked against what their docs say
 * instead, each listed in {@link DocumentedElsewhere} with its page; nothing else is exempt.
 */
public final class OpenApiContract {

    /**
     * Where the build puts the specs on the class path (local/emulator/pom.xml runs build/FetchTwilioSpecs.java):
     * {@code index} (first line {@code source PACKAGE@VERSION INTEGRITY}, then one spec name per line) and
     * {@code NAME.json} for each name.
     */
    static final String RESOURCES = "twilio-oai/";
    static final String HOW_TO_GET = "The build puts Twilio's OpenAPI specs into the emulator's classes when it"
            + " runs the tests (./mvnw verify from the project root; it needs npm, see README 'Tests').";

    private static final Map<ClassLoader, OpenApiContract> LOADED = new ConcurrentHashMap<>();

    /**
     * Twilio's error body; the specs leave errors undocumented.
     *
     * @see <a href="https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions">Exceptions</a>
     */
    private static final JsonNode ERROR_SCHEMA = parse("{\"type\":\"object\",\"properties\":{"
            + "\"code\":{\"type\":\"integer\"},\"message\":{\"type\":\"string\"},"
            + "\"more_info\":{\"type\":\"string\",\"format\":\"uri\"},\"status\":{\"type\":\"integer\"}}}");
    private static final SchemaValidator PLAIN = new SchemaValidator(ERROR_SCHEMA);

    /**
     * Where the pinned specs lag behind Twilio: for an operation ({@code METHOD https://{sub}.twilio.com{template}}),
     * a status Twilio answers that the spec does not document, mapped to the documented status whose body it
     * carries. Each entry cites its source; {@link #staleErrata()} reports entries the specs have caught up with.
     */
    private static final Map<String, Map<Integer, Integer>> STATUS_ERRATA = Map.of(
            // "Creating an interaction is an asynchronous request for which a 200 response only indicates that the
            // server has accepted the request" (https://www.twilio.com/docs/flex/developer/conversations/interactions-api/interactions);
            // twilio-oai's later flex_v1 documents 200, the pinned package's still says 201. twilio-java accepts any 2xx.
            "POST https://flex-api.twilio.com/v1/Interactions", Map.of(200, 201));

    private final String source;
    private final List<SpecOperation> operations;
    /** Lower-case names of every header any operation declares as a parameter (but Authorization). */
    private final Set<String> headerParameters;

    private OpenApiContract(String source, List<SpecOperation> operations) {
        this.source = source;
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
     * The contract from the specs on the emulator's class path; read once.
     *
     * @throws IllegalStateException when the specs are not there or one cannot be read: a contract that cannot
     *                               be checked is a failure, never a pass
     */
    public static OpenApiContract load() {
        return load(OpenApiContract.class.getClassLoader());
    }

    /** The contract from the specs {@code loader} finds under {@value #RESOURCES}; read once per loader. */
    static OpenApiContract load(ClassLoader loader) {
        return LOADED.computeIfAbsent(loader, OpenApiContract::read);
    }

    /** Where the specs came from: the npm package, its version and checksum, as the build recorded them. */
    public String source() {
        return source;
    }

    /**
     * The spec operation a recorded request addresses, if any, as {@code METHOD https://{sub}.twilio.com{template}
     * (operationId)}; operation ids alone are not unique across Twilio's specs.
     */
    public Optional<String> operation(RecordedRequest request) {
        String[] where = subdomainAndPath(request.path());
        if (DocumentedElsewhere.covers(where[0])) {
            return DocumentedElsewhere.resolve(request, where[0], where[1], new ArrayList<>())
                    .map(resolved -> resolved.getKey().describe());
        }
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
        String[] where = subdomainAndPath(r.path());
        if (DocumentedElsewhere.covers(where[0])) {
            return DocumentedElsewhere.resolve(r, where[0], where[1], out)
                    .map(resolved -> DocumentedElsewhere.checkRequest(r, resolved.getKey(), resolved.getValue()))
                    .orElse(out);
        }
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
        String[] where = subdomainAndPath(r.path());
        if (DocumentedElsewhere.covers(where[0])) {
            return DocumentedElsewhere.resolve(r, where[0], where[1], out)
                    .map(resolved -> DocumentedElsewhere.checkResponse(r, resolved.getKey(), responseBody))
                    .orElse(out);
        }
        Optional<Resolved> resolved = resolve(r, out);
        if (resolved.isEmpty()) {
            return out;
        }
        SpecOperation op = resolved.get().operation();
        Optional<JsonNode> documented = op.response(r.status()).or(() -> Optional
                .ofNullable(STATUS_ERRATA.getOrDefault(errataKey(op), Map.of()).get(r.status()))
                .flatMap(op::response));
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

    /** Errata whose operation the specs no longer have, or whose status they now document: remove them. */
    public List<String> staleErrata() {
        List<String> stale = new ArrayList<>();
        STATUS_ERRATA.forEach((key, statuses) -> {
            Optional<SpecOperation> op = operations.stream().filter(o -> errataKey(o).equals(key)).findFirst();
            if (op.isEmpty()) {
                stale.add(key + ": no such operation in the specs");
                return;
            }
            statuses.forEach((actual, documented) -> {
                if (op.get().response(actual).isPresent() || op.get().response(documented).isEmpty()) {
                    stale.add(key + ": " + actual + " is documented now, or " + documented + " is not");
                }
            });
        });
        return stale;
    }

    private static String errataKey(SpecOperation op) {
        return op.method() + " " + TwilioUrls.host(op.subdomain()) + op.template();
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

    static void checkErrorBody(RecordedRequest r, String responseBody, List<String> out) {
        parseBody(responseBody, out).ifPresent(body -> {
            PLAIN.validate(body, ERROR_SCHEMA, "error response", out);
            if (body.path("status").asInt(-1) != r.status()) {
                out.add("error response.status " + body.path("status") + " differs from the HTTP status " + r.status());
            }
        });
    }

    static Optional<JsonNode> parseBody(String body, List<String> out) {
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
        String[] where = subdomainAndPath(r.path());
        String subdomain = where[0];
        String specPath = where[1];
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

    /** {@code /conversations/v1/Conversations} gives {@code conversations} and {@code /v1/Conversations}. */
    private static String[] subdomainAndPath(String path) {
        int slash = path.indexOf('/', 1);
        return new String[] {slash < 0 ? path.substring(1) : path.substring(1, slash), slash < 0 ? "/" : path.substring(slash)};
    }

    private static List<String> prefixed(RecordedRequest r, SpecOperation op, List<String> violations) {
        List<String> result = new ArrayList<>();
        for (String violation : violations) {
            result.add(r.method() + " " + r.path() + " (" + op.id() + "): " + violation);
        }
        return result;
    }

    // --- loading -------------------------------------------------------------------------------------------

    private static OpenApiContract read(ClassLoader loader) {
        List<String> index = lines(loader, RESOURCES + "index")
                .orElseThrow(() -> new IllegalStateException("Twilio's OpenAPI specs are not on the class path ("
                        + RESOURCES + "index is missing). " + HOW_TO_GET));
        if (index.isEmpty() || !index.get(0).startsWith("source ")) {
            throw new IllegalStateException(RESOURCES + "index does not name its source. " + HOW_TO_GET);
        }
        String source = index.get(0).substring("source ".length());
        List<SpecOperation> operations = new ArrayList<>();
        for (String name : index.subList(1, index.size())) {
            String resource = RESOURCES + name + ".json";
            JsonNode spec;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is listed in the index but missing. " + HOW_TO_GET);
                }
                spec = Json.MAPPER.readTree(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read Twilio's OpenAPI spec " + resource + ": " + e.getMessage(), e);
            }
            if (spec == null || !spec.path("paths").isObject()) {
                throw new IllegalStateException(resource + " is not an OpenAPI document (no paths)");
            }
            SchemaValidator schemas = new SchemaValidator(spec);
            spec.path("paths").properties().forEach(entry -> {
                JsonNode pathItem = entry.getValue();
                String subdomain = subdomain(pathItem.has("servers") ? pathItem : spec, resource);
                for (String method : List.of("get", "post", "put", "patch", "delete")) {
                    if (pathItem.has(method)) {
                        operations.add(new SpecOperation(subdomain, method.toUpperCase(Locale.ROOT),
                                new PathTemplate(entry.getKey()), pathItem.get(method), schemas));
                    }
                }
            });
        }
        if (operations.isEmpty()) {
            throw new IllegalStateException("no operations in Twilio's OpenAPI specs " + index.subList(1, index.size()));
        }
        return new OpenApiContract(source, operations);
    }

    private static Optional<List<String>> lines(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** {@code https://conversations.twilio.com} gives {@code conversations}. */
    private static String subdomain(JsonNode withServers, String resource) {
        String url = withServers.path("servers").path(0).path("url").asText("");
        String host = URI.create(url).getHost();
        if (host == null || !host.endsWith(".twilio.com")) {
            throw new IllegalArgumentException("unexpected server URL '" + url + "' in " + resource);
        }
        return host.substring(0, host.length() - ".twilio.com".length());
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
