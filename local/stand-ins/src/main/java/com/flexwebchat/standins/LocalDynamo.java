package com.flexwebchat.standins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real DynamoDB-compatible engine for local runs and tests: dynalite (npm, pinned in
 * {@code local/stand-ins/dynalite/package-lock.json}), in memory, on 127.0.0.1, started as a child
 * process with the backend's table created in it. It speaks DynamoDB's JSON protocol, conditional
 * writes included, so the store code runs against it unchanged; it does not check signatures. It
 * needs Node.js; {@link #nodeMissing()} says when there is none.
 *
 * <p>{@link #pause()} and {@link #resume()} stop and continue the process (SIGSTOP, SIGCONT): a store
 * that accepts connections and never answers, for testing timeouts; {@link #close()} ends it: a
 * store that refuses connections.
 */
public final class LocalDynamo implements AutoCloseable {

    public static final String TABLE = "flex-webchat-local";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;

    private LocalDynamo(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why the engine cannot start here (no Node.js), or null when it can. */
    public static String nodeMissing() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0 ? null : "node --version failed";
        } catch (IOException e) {
            return "Node.js (node) is not on the PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * dynalite on a free port of 127.0.0.1, with {@link #TABLE} created, installed first with
     * {@code npm ci} when {@code dynalite/node_modules} is missing.
     *
     * @param projectRoot the repository (where {@code local/stand-ins/dynalite} is)
     */
    public static LocalDynamo start(Path projectRoot) {
        return start(projectRoot, 0);
    }

    /** As {@link #start(Path)}, on {@code port} (0: any free one). */
    public static LocalDynamo start(Path projectRoot, int port) {
        Path dir = projectRoot.resolve("local/stand-ins/dynalite");
        try {
            install(dir);
            int chosen = port == 0 ? freePort() : port;
            Process process = new ProcessBuilder("node", "node_modules/dynalite/cli.js", "--host", "127.0.0.1",
                    "--port", String.valueOf(chosen))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            LocalDynamo dynamo = new LocalDynamo(process, chosen);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "dynalite-stop"));
            dynamo.awaitAndCreateTable();
            return dynamo;
        } catch (IOException e) {
            throw new UncheckedIOException("dynalite did not start: " + e.getMessage(), e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** What a function needs to use this engine as its store: the table, a Region, the endpoint, and credentials dynalite ignores. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STORE_TABLE", TABLE);
        env.put("AWS_REGION", REGION);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        return env;
    }

    /** Deletes every item, between tests. */
    public void clear() {
        com.fasterxml.jackson.databind.JsonNode page;
        do {
            page = call("Scan", JSON.createObjectNode().put("TableName", TABLE));
            for (com.fasterxml.jackson.databind.JsonNode item : page.path("Items")) {
                ObjectNode delete = JSON.createObjectNode().put("TableName", TABLE);
                delete.putObject("Key").set("pk", item.get("pk"));
                ((ObjectNode) delete.get("Key")).set("sk", item.get("sk"));
                call("DeleteItem", delete);
            }
        } while (page.path("Items").size() > 0);
    }

    /** Every item, as DynamoDB's JSON ({@code {"pk": {"S": ...}, ...}}): what a test checks was stored. */
    public List<com.fasterxml.jackson.databind.JsonNode> items() {
        List<com.fasterxml.jackson.databind.JsonNode> items = new java.util.ArrayList<>();
        call("Scan", JSON.createObjectNode().put("TableName", TABLE)).path("Items").forEach(items::add);
        return items;
    }

    /** Stops the process: connections are accepted and never answered. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void install(Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve("node_modules/dynalite"))) {
            return;
        }
        if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
            // Otherwise the JDK reports the missing directory as a missing npm ("Cannot run program npm").
            throw new IOException("there is no " + dir.resolve("package-lock.json") + ": the project root given is not the repository's");
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        Process npm = new ProcessBuilder(windows ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes());
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IOException("npm ci in " + dir + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing dynalite");
        }
    }

    private void awaitAndCreateTable() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                call("ListTables", JSON.createObjectNode());
                break;
            } catch (UncheckedIOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("dynalite did not answer on " + endpoint() + " within " + START_TIMEOUT);
                }
                sleep(50);
            }
        }
        createTable();
    }

    private void createTable() {
        ObjectNode table = JSON.createObjectNode().put("TableName", TABLE).put("BillingMode", "PAY_PER_REQUEST");
        table.set("AttributeDefinitions", JSON.valueToTree(List.of(
                Map.of("AttributeName", "pk", "AttributeType", "S"), Map.of("AttributeName", "sk", "AttributeType", "S"))));
        table.set("KeySchema", JSON.valueToTree(List.of(
                Map.of("AttributeName", "pk", "KeyType", "HASH"), Map.of("AttributeName", "sk", "KeyType", "RANGE"))));
        call("CreateTable", table);
        // dynalite creates tables asynchronously (CREATING, then ACTIVE), as DynamoDB does.
        for (int i = 0; i < 200; i++) {
            String status = call("DescribeTable", JSON.createObjectNode().put("TableName", TABLE))
                    .path("Table").path("TableStatus").asText();
            if (status.equals("ACTIVE")) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("the table did not become ACTIVE");
    }

    private com.fasterxml.jackson.databind.JsonNode call(String operation, ObjectNode body) {
        String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                            // dynalite checks a request's signature headers are complete (an X-Amz-Date with the
                            // Authorization header), though not the signature itself.
                            .header("X-Amz-Date", amzDate)
                            .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/" + amzDate.substring(0, 8) + "/"
                                    + REGION + "/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                                    + "0".repeat(64))
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("dynalite refused " + operation + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
