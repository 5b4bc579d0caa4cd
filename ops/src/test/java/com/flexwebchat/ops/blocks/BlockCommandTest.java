package com.flexwebchat.ops.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.flexwebchat.ops.AwsCli;
import com.flexwebchat.ops.blocks.BlockCommand.Target;
import com.flexwebchat.ops.blocks.BlockCommand.Targets;
import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.protection.BlockList.Kind;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.standins.LocalDynamo;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./run-local block} against a real store (one dynalite for the class, emptied before each
 * test), and against a "deployed stack" whose AWS CLI is a script answering as the real one does.
 */
class BlockCommandTest {

    private static final String API_SECRET = "the-test-accounts-api-secret-0123456789";
    private static final String AUTH_TOKEN = "the-test-accounts-auth-token-abcdef0123";
    private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/" + LocalDynamo.TABLE;
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webchat-twilio-AbCdEf";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static LocalDynamo dynamo;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startStore() {
        dynamo = LocalDynamo.start(projectRoot());
    }

    @AfterAll
    static void stopStore() {
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @BeforeEach
    void emptyStore() {
        dynamo.clear();
    }

    /** Where local/stand-ins/dynalite is: Maven's project.root, else the folder up from here with mvnw and template.yaml. */
    private static Path projectRoot() {
        String fromMaven = System.getProperty("project.root");
        if (fromMaven != null && Files.isRegularFile(Path.of(fromMaven, "template.yaml"))) {
            return Path.of(fromMaven).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (mvnw and template.yaml) above " + Path.of("").toAbsolutePath());
    }

    // ---------------------------------------------------------------- helpers

    /** The block list in the test's dynalite, hashed with {@code hashKey}. */
    private static Target storeTarget(byte[] hashKey) {
        return Target.of(DynamoDb.fromEnvironment(dynamo.environment(), TIMEOUT), LocalDynamo.TABLE, hashKey,
                "the test's store", "is the test's store running?");
    }

    /** What the functions would build to read the same table with this key: their BlockList. */
    private static BlockList functionsBlockList(byte[] hashKey) {
        Clock clock = Clock.systemUTC();
        return new BlockList(new WebChatStore(DynamoDb.fromEnvironment(dynamo.environment(), TIMEOUT), LocalDynamo.TABLE, clock),
                new KeyedHash(hashKey), Duration.ZERO, clock);
    }

    /** Targets that are the test's store locally, and no stack. */
    private static Targets local(Target target) {
        return new Targets() {
            @Override
            public Target local() {
                return target;
            }

            @Override
            public Target deployed(String stackName) {
                throw new AssertionError("no stack was named, yet deployed(" + stackName + ") was asked for");
            }
        };
    }

    /** Targets that fail the test if asked for at all. */
    private static final Targets NO_STORE = new Targets() {
        @Override
        public Target local() {
            throw new AssertionError("bad arguments reached the store");
        }

        @Override
        public Target deployed(String stackName) {
            throw new AssertionError("bad arguments reached the stack " + stackName);
        }
    };

    private int run(Targets targets, String... args) {
        return BlockCommand.run(args, targets, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Runs the command against the test's store, hashing with the key the functions derive from API_SECRET. */
    private int block(String... args) {
        return run(local(storeTarget(Protections.hashKey(null, API_SECRET))), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void resetOutput() {
        out.reset();
        err.reset();
    }

    private static String storedItems() {
        return dynamo.items().toString();
    }

    // ---------------------------------------------------------------- arguments

    static Stream<Arguments> badArguments() {
        return Stream.of(
                bad("say what to do: add, remove, list or check"),
                bad("unknown action 'ban'", "ban", "ip", "203.0.113.7"),
                bad("a block is of an ip, an email or an identity, not 'host'", "add", "host", "example.com"),
                bad("not an IP address or CIDR range: '203.0.113.256'", "add", "ip", "203.0.113.256"),
                bad("not an IP address or CIDR range: 'example.com'", "add", "ip", "example.com"),
                bad("a CIDR prefix is /0 to /32, got '203.0.113.0/33'", "add", "ip", "203.0.113.0/33"),
                bad("a CIDR prefix is /0 to /32, got '203.0.113.0/x'", "add", "ip", "203.0.113.0/x"),
                bad("a CIDR prefix is /0 to /128, got '2001:db8::/129'", "add", "ip", "2001:db8::/129"),
                bad("/7 would block a quarter of the Internet or more; a range is at least /8", "add", "ip", "10.0.0.0/7"),
                bad("/0 would block a quarter of the Internet or more", "remove", "ip", "0.0.0.0/0"),
                bad("/31 would block a quarter of the Internet or more; a range is at least /32", "add", "ip", "2001:db8::/31"),
                bad("not an email address: 'not-an-email'", "add", "email", "not-an-email"),
                bad("not an email address: 'ada@home@example.com'", "add", "email", "ada@home@example.com"),
                bad("not an email address: 'ada lovelace@example.com'", "add", "email", "ada lovelace@example.com"),
                bad("an identity is 1 to 256 characters", "add", "identity", "   "),
                bad("an identity is 1 to 256 characters", "add", "identity", "x".repeat(257)),
                bad("--for takes 30m, 12h, 7d, 2w or an ISO-8601 duration, got 'forever'", "add", "ip", "203.0.113.7", "--for", "forever"),
                bad("--for takes 30m, 12h, 7d, 2w or an ISO-8601 duration, got '30s'", "add", "ip", "203.0.113.7", "--for", "30s"),
                bad("--for must be from 1 minute to 10 years, got 'PT30S'", "add", "ip", "203.0.113.7", "--for", "PT30S"),
                bad("--for must be from 1 minute to 10 years, got '0m'", "add", "ip", "203.0.113.7", "--for", "0m"),
                bad("--for must be from 1 minute to 10 years, got '3651d'", "add", "ip", "203.0.113.7", "--for", "3651d"),
                bad("--for must be from 1 minute to 10 years, got '9999999999999999d'", "add", "ip", "203.0.113.7", "--for", "9999999999999999d"),
                bad("--for must be from 1 minute to 10 years, got '99999999999999999999m'", "add", "ip", "203.0.113.7", "--for", "99999999999999999999m"),
                bad("--for must be from 1 minute to 10 years, got '-P1D'", "add", "ip", "203.0.113.7", "--for", "-P1D"),
                bad("remove does not take --for", "remove", "ip", "203.0.113.7", "--for", "1h"),
                bad("remove does not take --reason", "remove", "email", "ada@example.com", "--reason", "spam"),
                bad("--reason is given twice", "add", "ip", "203.0.113.7", "--reason", "spam", "--reason", "abuse"),
                bad("--stack-name is given twice", "list", "--stack-name", "a", "--stack-name", "b"),
                bad("--for needs a value", "add", "ip", "203.0.113.7", "--for"),
                bad("--for needs a value", "add", "ip", "203.0.113.7", "--for", "--reason", "spam"),
                bad("--reason is one line of at most 200 characters", "add", "ip", "203.0.113.7", "--reason", "two\nlines"),
                bad("--reason is one line of at most 200 characters", "add", "ip", "203.0.113.7", "--reason", "r".repeat(201)),
                bad("unknown option --colour", "add", "ip", "203.0.113.7", "--colour", "red"),
                bad("add takes a kind (ip, email or identity) and a value", "add", "ip"),
                bad("add takes a kind (ip, email or identity) and a value", "add", "ip", "203.0.113.7", "203.0.113.8"),
                bad("list takes no value", "list", "everything"),
                bad("list does not take --for", "list", "--for", "1h"),
                bad("check needs --ip, --email or --identity", "check"),
                bad("check needs --ip, --email or --identity", "check", "--stack-name", "webchat"),
                bad("check takes --ip, --email or --identity, not a bare value", "check", "203.0.113.7"),
                bad("--ip must be one IP address, got '203.0.113.0/24'", "check", "--ip", "203.0.113.0/24"),
                bad("not an email address: 'nope'", "check", "--email", "nope"),
                bad("check does not take --for", "check", "--ip", "203.0.113.7", "--for", "1h"));
    }

    private static Arguments bad(String says, String... args) {
        return Arguments.of(String.join(" ", args), args, says);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badArguments")
    void badArgumentsExit2WithUsageAndTouchNoStore(String shown, String[] args, String says) {
        assertEquals(2, run(NO_STORE, args), err());

        assertTrue(err().contains("./run-local block: " + says), err());
        assertTrue(err().contains(BlockCommand.USAGE), "the usage follows: " + err());
        assertEquals("", out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help", "add --help", "check --ip 203.0.113.7 -h"})
    void helpPrintsTheUsageAndExits0(String args) {
        assertEquals(0, run(NO_STORE, args.split(" ")));

        assertEquals(BlockCommand.USAGE + System.lineSeparator(), out());
        assertEquals("", err());
    }

    @Test
    void durationsReadShortFormsAndIso() {
        assertEquals(Duration.ofMinutes(30), BlockCommand.duration("30m"));
        assertEquals(Duration.ofHours(12), BlockCommand.duration("12H"));
        assertEquals(Duration.ofDays(7), BlockCommand.duration("7d"));
        assertEquals(Duration.ofDays(14), BlockCommand.duration("2w"));
        assertEquals(Duration.ofDays(7), BlockCommand.duration("P7D"));
        assertEquals(Duration.ofMinutes(90), BlockCommand.duration(" PT1H30M "));
        assertEquals(Duration.ofDays(3650), BlockCommand.duration("3650d"));
        assertEquals(null, BlockCommand.duration(null), "no --for: until removed");
    }

    // ---------------------------------------------------------------- against the store

    @Test
    void addsEveryKindAndListsThemAsHashesWithReasonsAndExpiries() {
        Instant before = Instant.now();
        assertEquals(0, block("add", "ip", "203.0.113.7", "--reason", "spam", "--for", "7d"), err());
        assertTrue(out().startsWith("Blocked ip 203.0.113.7 until "), out());
        assertTrue(out().contains("(spam)" + System.lineSeparator() + "  in the test's store; every instance refuses it"
                + " within BLOCK_LIST_REFRESH"), out());
        assertEquals(0, block("add", "ip", "198.51.100.9/24", "--reason", "botnet"), err());
        assertTrue(out().contains("Blocked range 198.51.100.9/24 until removed (botnet)"), out());
        assertEquals(0, block("add", "email", "Ada.Lovelace@Example.com", "--for", "12h"), err());
        assertEquals(0, block("add", "identity", "visitor-7f3a9c", "--reason", "abusive messages", "--for", "30m"), err());
        Instant after = Instant.now();
        resetOutput();

        assertEquals(0, block("list"), err());

        String list = out();
        assertTrue(list.startsWith("4 blocks in the test's store (addresses, emails and identities are kept as keyed hashes):"),
                list);
        List<String> lines = list.lines().skip(1).toList();
        assertEquals(4, lines.size(), list);
        assertListed(lines, "ip", "ip:", "spam", Duration.ofDays(7), before, after);
        assertListed(lines, "range", "198.51.100.0/24", "botnet", null, before, after);
        assertListed(lines, "email", "email:", "", Duration.ofHours(12), before, after);
        assertListed(lines, "identity", "identity:", "abusive messages", Duration.ofMinutes(30), before, after);
        for (String raw : List.of("203.0.113.7", "ada.lovelace@example.com", "visitor-7f3a9c")) {
            assertFalse(list.toLowerCase().contains(raw), "the list shows no " + raw + ": " + list);
            assertFalse(storedItems().toLowerCase().contains(raw), "the store keeps no " + raw + ": " + storedItems());
        }
        assertEquals("", err());
    }

    private static final Pattern LINE = Pattern.compile("  (\\S+)\\s+(\\S+)\\s+(until removed|until (\\S+))\\s*(.*)");

    /** One line of {@code list}: its kind, what it keeps (a hash of the kind, or the range), expiry and reason. */
    private static void assertListed(List<String> lines, String kind, String kept, String reason, Duration duration,
                                     Instant before, Instant after) {
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            assertTrue(matcher.matches(), line);
            if (!matcher.group(1).equals(kind)) {
                continue;
            }
            String value = matcher.group(2);
            if (kept.endsWith(":")) {
                assertTrue(value.matches(kept + "[A-Za-z0-9_-]{43}"), "a keyed hash: " + line);
            } else {
                assertEquals(kept, value, line);
            }
            assertEquals(reason, matcher.group(5).strip(), line);
            if (duration == null) {
                assertEquals("until removed", matcher.group(3), line);
            } else {
                Instant expires = Instant.parse(matcher.group(4));
                assertFalse(expires.isBefore(before.plus(duration).minusSeconds(1)), line);
                assertFalse(expires.isAfter(after.plus(duration)), line);
            }
            return;
        }
        fail("no " + kind + " line in " + lines);
    }

    @Test
    void anEmptyListSaysSo() {
        assertEquals(0, block("list"), err());
        assertEquals("0 blocks in the test's store." + System.lineSeparator(), out());
    }

    @Test
    void checkFindsAnAddressInsideABlockedRangeAndNotOutside() {
        assertEquals(0, block("add", "ip", "198.51.100.0/24", "--reason", "botnet"), err());
        assertEquals(0, block("add", "ip", "2001:db8:abcd::/48"), err());
        resetOutput();

        assertEquals(1, block("check", "--ip", "198.51.100.77"));
        assertEquals("Blocked in the test's store: range 198.51.100.0/24, until removed (botnet)" + System.lineSeparator(), out());
        resetOutput();
        assertEquals(0, block("check", "--ip", "198.51.101.1"));
        assertEquals("Not blocked in the test's store." + System.lineSeparator(), out());
        resetOutput();
        assertEquals(1, block("check", "--ip", "2001:db8:abcd:12::1"));
        assertTrue(out().startsWith("Blocked in the test's store: range 2001:db8:abcd:0:0:0:0:0/48, until removed"), out());
        assertEquals(0, block("check", "--ip", "2001:db8:abce::1"));
        assertEquals("", err());
    }

    @Test
    void checkFindsAnAddressAnEmailInAnyCaseAndAnIdentity() {
        assertEquals(0, block("add", "ip", "203.0.113.7"), err());
        assertEquals(0, block("add", "email", "ada@example.com", "--reason", "spam"), err());
        assertEquals(0, block("add", "identity", "visitor-7f3a9c", "--for", "2w"), err());
        resetOutput();

        assertEquals(1, block("check", "--ip", "203.0.113.7"));
        assertTrue(out().matches("Blocked in the test's store: ip ip:[A-Za-z0-9_-]{43}, until removed\\R"), out());
        assertEquals(0, block("check", "--ip", "203.0.113.8"));
        resetOutput();
        assertEquals(1, block("check", "--email", " Ada@Example.COM "));
        assertTrue(out().matches("Blocked in the test's store: email email:[A-Za-z0-9_-]{43}, until removed \\(spam\\)\\R"), out());
        resetOutput();
        assertEquals(1, block("check", "--ip", "192.0.2.1", "--identity", "visitor-7f3a9c"));
        assertTrue(out().matches("Blocked in the test's store: identity identity:[A-Za-z0-9_-]{43}, until \\S+Z\\R"), out());
        assertEquals(0, block("check", "--identity", "visitor-7F3A9C"), "identities are exact");
    }

    @Test
    void removeLiftsABlockAndSaysNothingToRemoveTheSecondTime() {
        assertEquals(0, block("add", "email", "ada@example.com"), err());
        assertEquals(0, block("add", "ip", "198.51.100.0/24"), err());
        assertEquals(1, block("check", "--email", "ada@example.com"));
        resetOutput();

        assertEquals(0, block("remove", "email", "ADA@example.com"), err());
        assertEquals("Unblocked email ADA@example.com in the test's store." + System.lineSeparator(), out());
        assertEquals(0, block("check", "--email", "ada@example.com"));
        resetOutput();
        assertEquals(0, block("remove", "email", "ada@example.com"), err());
        assertEquals("Nothing to remove: no block of email ada@example.com in the test's store." + System.lineSeparator(), out());

        // A range is removed as written or by any address-with-prefix inside it, as it was added.
        resetOutput();
        assertEquals(0, block("remove", "ip", "198.51.100.200/24"), err());
        assertTrue(out().startsWith("Unblocked "), out());
        assertEquals(0, block("check", "--ip", "198.51.100.1"));
        resetOutput();
        assertEquals(0, block("list"));
        assertEquals("0 blocks in the test's store." + System.lineSeparator(), out());
        assertEquals("[]", storedItems());
    }

    @Test
    void addingAgainReplacesTheBlock() {
        assertEquals(0, block("add", "ip", "203.0.113.7", "--reason", "first", "--for", "1h"), err());
        assertEquals(0, block("add", "ip", "203.0.113.7", "--reason", "second"), err());
        resetOutput();

        assertEquals(0, block("list"));
        assertTrue(out().startsWith("1 block in the test's store"), out());
        assertTrue(out().contains("until removed") && out().contains("second") && !out().contains("first"), out());
    }

    @Test
    void listAndCheckHideABlockThatHasExpired() {
        byte[] key = Protections.hashKey(null, API_SECRET);
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        new BlockList(new WebChatStore(DynamoDb.fromEnvironment(dynamo.environment(), TIMEOUT), LocalDynamo.TABLE, twoHoursAgo),
                new KeyedHash(key), Duration.ZERO, twoHoursAgo).add(Kind.IDENTITY, "visitor-expired", "long-expired", Duration.ofHours(1));
        assertTrue(storedItems().contains("identity#identity:"), "the expired block is still in the table: " + storedItems());
        assertEquals(0, block("add", "identity", "visitor-current", "--for", "1h"), err());
        resetOutput();

        assertEquals(0, block("list"));
        assertTrue(out().startsWith("1 block in the test's store"), out());
        assertFalse(out().contains("long-expired"), out());
        resetOutput();
        assertEquals(0, block("check", "--identity", "visitor-expired"));
        assertEquals(1, block("check", "--identity", "visitor-current"));
    }

    @Test
    void theCommandsHashesAreTheFunctions() {
        assertEquals(0, block("add", "ip", "203.0.113.7"), err());
        assertEquals(0, block("add", "email", "ada@example.com"), err());
        assertEquals(0, block("add", "identity", "visitor-7f3a9c"), err());

        BlockList functions = functionsBlockList(Protections.hashKey(null, API_SECRET));
        assertEquals(Kind.IP, functions.find("203.0.113.7", null, null).orElseThrow().kind());
        assertEquals(Kind.EMAIL, functions.find(null, "Ada@Example.com", null).orElseThrow().kind());
        assertEquals(Kind.IDENTITY, functions.find(null, null, "visitor-7f3a9c").orElseThrow().kind());

        BlockList otherKey = functionsBlockList(Protections.hashKey(null, "another-api-secret-0123456789abcdef"));
        assertTrue(otherKey.find("203.0.113.7", "ada@example.com", "visitor-7f3a9c").isEmpty(),
                "hashes made with another key match nothing");
    }

    @Test
    void anUnreachableStoreExits1WithTheTargetsHint() {
        Map<String, String> env = new java.util.HashMap<>(dynamo.environment());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort());
        Target unreachable = Target.of(DynamoDb.fromEnvironment(env, TIMEOUT), LocalDynamo.TABLE,
                Protections.hashKey(null, API_SECRET), "the store of nowhere", "start the store first");

        for (String[] args : List.of(new String[] {"list"}, new String[] {"add", "ip", "203.0.113.7"},
                new String[] {"remove", "ip", "203.0.113.7"}, new String[] {"check", "--ip", "203.0.113.7"})) {
            resetOutput();
            assertEquals(1, run(local(unreachable), args), String.join(" ", args) + ": " + out());
            assertTrue(err().startsWith("./run-local block: could not reach DynamoDB for "), err());
            assertTrue(err().contains("(start the store first)"), err());
            assertFalse(out().startsWith("Blocked") || out().startsWith("Unblocked") || out().startsWith("Not blocked"), out());
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- a deployed stack, through the AWS CLI

    /** A stand-in for the AWS CLI: answers the four calls the command makes from files in {@code dir}, anything else exit 252. */
    private static Path fakeAws(Path dir, String secret) throws IOException {
        Files.writeString(dir.resolve("table-arn"), TABLE_ARN + "\n");
        Files.writeString(dir.resolve("secret-arn"), SECRET_ARN + "\n");
        Files.writeString(dir.resolve("secret"), secret + "\n");
        Files.writeString(dir.resolve("credentials"), "{\"Version\":1,\"AccessKeyId\":\"AKIDEXAMPLE\",\"SecretAccessKey\":\""
                + SECRET_ACCESS_KEY + "\",\"SessionToken\":\"the-session-token\",\"Expiration\":\"2099-01-01T00:00:00Z\"}\n");
        String d = dir.toString();
        Path aws = dir.resolve("aws");
        Files.writeString(aws, String.join("\n",
                "#!/bin/sh",
                "printf '%s\\n' \"$*\" >> '" + d + "/calls'",
                "case \"$*\" in",
                "  \"cloudformation describe-stacks --stack-name webchat --query Stacks[0].Outputs[?OutputKey=='StoreTableArn']"
                        + ".OutputValue --output text\") cat '" + d + "/table-arn' ;;",
                "  \"cloudformation describe-stacks --stack-name webchat --query Stacks[0].Parameters[?ParameterKey=="
                        + "'TwilioSecretArn'].ParameterValue --output text\") cat '" + d + "/secret-arn' ;;",
                "  \"secretsmanager get-secret-value --secret-id " + SECRET_ARN + " --query SecretString --output text\") cat '"
                        + d + "/secret' ;;",
                "  \"configure export-credentials --format process\") cat '" + d + "/credentials' ;;",
                "  *) echo \"aws: unexpected call: $*\" >&2; exit 252 ;;",
                "esac",
                ""));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        return aws;
    }

    private static String twilioSecret() {
        return "{\"AUTH_TOKEN\":\"" + AUTH_TOKEN + "\",\"API_SECRET\":\"" + API_SECRET + "\"}";
    }

    /** Targets with no local store and the stacks of this AWS CLI, with these endpoint variables. */
    private static Targets stacks(Path aws, Map<String, String> environment) {
        return new Targets() {
            @Override
            public Target local() {
                throw new AssertionError("--stack-name was given, yet the local store was asked for");
            }

            @Override
            public Target deployed(String stackName) {
                return BlockCommand.deployed(new AwsCli(aws.toString()), stackName, environment);
            }
        };
    }

    private void assertNoSecretShown() {
        for (String secret : List.of(API_SECRET, AUTH_TOKEN, SECRET_ACCESS_KEY, "the-session-token", "0123456789abcdef0123456789abcdef")) {
            assertFalse(out().contains(secret) || err().contains(secret), "a secret was printed: " + out() + err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"})
    void aDeployedStacksBlockListThroughTheAwsCli(String endpointVariable, @TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        try (RecordingStore store = RecordingStore.before(dynamo)) {
            Targets stacks = stacks(aws, Map.of(endpointVariable, store.endpoint(), "AWS_REGION", "us-west-2"));

            assertEquals(0, run(stacks, "add", "ip", "203.0.113.7", "--reason", "spam", "--stack-name", "webchat"), err());
            assertTrue(out().contains("Blocked ip 203.0.113.7 until removed (spam)"), out());
            assertTrue(out().contains("in table " + LocalDynamo.TABLE + " in eu-west-1 (stack webchat)"), out());
            resetOutput();
            assertEquals(0, run(stacks, "list", "--stack-name", "webchat"), err());
            assertTrue(out().startsWith("1 block in table " + LocalDynamo.TABLE + " in eu-west-1 (stack webchat)"), out());
            assertTrue(out().contains("spam"), out());
            assertEquals(1, run(stacks, "check", "--ip", "203.0.113.7", "--stack-name", "webchat"));
            assertNoSecretShown();

            // Signed with the CLI's credentials, for DynamoDB in the table's Region (not AWS_REGION's).
            assertFalse(store.authorizations.isEmpty());
            for (String authorization : store.authorizations) {
                assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                        && authorization.contains("/eu-west-1/dynamodb/aws4_request"), authorization);
            }
            assertEquals(List.of("the-session-token"), store.sessionTokens.stream().distinct().toList());
        }
        assertTrue(functionsBlockList(Protections.hashKey(null, API_SECRET)).find("203.0.113.7", null, null).isPresent(),
                "the functions, whose key comes from the same API_SECRET, find it");
        assertTrue(functionsBlockList(Protections.hashKey(null, "another-api-secret-0123456789abcdef"))
                .find("203.0.113.7", null, null).isEmpty());
    }

    @Test
    void aStackWithStoreHashKeyHashesWithItRatherThanApiSecret(@TempDir Path dir) throws IOException {
        String storeHashKey = "0123456789abcdef0123456789abcdef";
        Path aws = fakeAws(dir, "{\"AUTH_TOKEN\":\"" + AUTH_TOKEN + "\",\"API_SECRET\":\"" + API_SECRET
                + "\",\"STORE_HASH_KEY\":\"" + storeHashKey + "\"}");

        assertEquals(0, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())),
                "add", "email", "ada@example.com", "--stack-name", "webchat"), err());

        assertTrue(functionsBlockList(Protections.hashKey(storeHashKey, API_SECRET)).find(null, "ada@example.com", null).isPresent());
        assertTrue(functionsBlockList(Protections.hashKey(null, API_SECRET)).find(null, "ada@example.com", null).isEmpty(),
                "not the key derived from API_SECRET");
        assertNoSecretShown();
    }

    @Test
    void aStackWithoutTwilioSecretArnExits1(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        Files.writeString(dir.resolve("secret-arn"), "None\n");

        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())), "list", "--stack-name", "webchat"));

        assertEquals("./run-local block: stack webchat has no TwilioSecretArn, so its functions have no hash key this command"
                + " could match" + System.lineSeparator(), err());
        assertEquals("", out());
        assertFalse(Files.readString(dir.resolve("calls")).contains("secretsmanager"), "the secret was not read");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "AUTH_TOKEN=the-test-accounts-auth-token-abcdef0123 API_SECRET=the-test-accounts-api-secret-0123456789",
            "[\"the-test-accounts-api-secret-0123456789\"]",
            "{\"AUTH_TOKEN\": \"the-test-accounts-auth-token-abcdef0123\", \"API_SECRET\": \"the-test-accounts-api-secret-0123456789\""})
    void aSecretThatIsNotAJsonObjectExits1WithoutShowingIt(String secret, @TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, secret);

        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())),
                "add", "ip", "203.0.113.7", "--stack-name", "webchat"));

        assertEquals("./run-local block: the secret " + SECRET_ARN + " is not a JSON object" + System.lineSeparator(), err());
        assertNoSecretShown();
        assertEquals("[]", storedItems());
    }

    @Test
    void aSecretWithoutAHashKeyOrApiSecretExits1(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, "{\"AUTH_TOKEN\":\"" + AUTH_TOKEN + "\"}");

        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())), "list", "--stack-name", "webchat"));

        assertEquals("./run-local block: the secret has neither STORE_HASH_KEY nor API_SECRET" + System.lineSeparator(), err());
        assertNoSecretShown();
    }

    @Test
    void aShortStoreHashKeyExits1WithoutShowingIt(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, "{\"API_SECRET\":\"" + API_SECRET + "\",\"STORE_HASH_KEY\":\"short-key-0123\"}");

        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())), "list", "--stack-name", "webchat"));

        assertTrue(err().startsWith("./run-local block: STORE_HASH_KEY must have at least 16 characters"), err());
        assertFalse(err().contains("short-key-0123"), err());
    }

    @Test
    void credentialsTheCliCannotGiveExit1(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        Files.writeString(dir.resolve("credentials"), "aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = " + SECRET_ACCESS_KEY);

        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())), "list", "--stack-name", "webchat"));

        assertEquals("./run-local block: the AWS CLI's credentials is not a JSON object" + System.lineSeparator(), err());
        assertNoSecretShown();
    }

    @Test
    void credentialsWithoutAKeyPairExit1SayingSo(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        Files.writeString(dir.resolve("credentials"), "{\"Version\":1,\"SecretAccessKey\":\"" + SECRET_ACCESS_KEY + "\"}");

        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())), "list", "--stack-name", "webchat"));

        assertEquals("./run-local block: the AWS CLI's credentials have no AccessKeyId and SecretAccessKey"
                + System.lineSeparator(), err());
        assertNoSecretShown();
    }

    @Test
    void aStoreTableArnThatIsNoTableExits1(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        Files.writeString(dir.resolve("table-arn"), "arn:aws:s3:::not-a-table\n");

        assertEquals(1, run(stacks(aws, Map.of()), "list", "--stack-name", "webchat"));

        assertEquals("./run-local block: the stack's StoreTableArn is not a DynamoDB table ARN: arn:aws:s3:::not-a-table"
                + System.lineSeparator(), err());
    }

    @Test
    void aFailingAwsCliExits1SayingWhichCallFailed(@TempDir Path dir) throws IOException {
        Path failing = dir.resolve("aws");
        Files.writeString(failing, "#!/bin/sh\necho 'An error occurred (ValidationError): Stack with id nope does not exist' >&2\n"
                + "exit 254\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));

        assertEquals(1, run(stacks(failing, Map.of()), "list", "--stack-name", "nope"));
        assertEquals("./run-local block: could not read the StoreTableArn output of stack nope (the AWS CLI failed, see above)"
                + System.lineSeparator(), err());

        resetOutput();
        assertEquals(1, run(stacks(dir.resolve("no-such-aws"), Map.of()), "list", "--stack-name", "nope"));
        assertEquals("./run-local block: this needs the AWS CLI (" + dir.resolve("no-such-aws") + ") on the PATH"
                + System.lineSeparator(), err());
    }

    @Test
    void aFailingSecretsManagerCallShowsNoSecret(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        Files.delete(dir.resolve("secret")); // cat fails: the CLI exits non-zero
        assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint())), "list", "--stack-name", "webchat"));

        assertEquals("./run-local block: could not read the secret " + SECRET_ARN + " (the AWS CLI failed, see above)"
                + System.lineSeparator(), err());
    }

    @Test
    void aTableTheCredentialsMayNotUseSaysSo(@TempDir Path dir) throws IOException {
        Path aws = fakeAws(dir, twilioSecret());
        try (RecordingStore store = RecordingStore.before(dynamo)) {
            store.refuseWith = "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User: "
                    + "arn:aws:iam::123456789012:user/ops is not authorized to perform: dynamodb:Query\"}";

            assertEquals(1, run(stacks(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", store.endpoint())), "list", "--stack-name", "webchat"));
        }

        assertEquals("./run-local block: DynamoDB refused Query: HTTP 400 AccessDeniedException (your AWS credentials may not"
                + " use this table)" + System.lineSeparator(), err());
    }

    /**
     * A recording proxy in front of dynalite, on 127.0.0.1 (dynalite itself does not check
     * signatures): what each call was signed with, or an AWS error in place of dynalite's answer.
     */
    private static final class RecordingStore implements AutoCloseable {

        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final List<String> sessionTokens = new CopyOnWriteArrayList<>();
        volatile String refuseWith;
        private final HttpServer server;
        private final URI upstream;
        private final HttpClient client = HttpClient.newHttpClient();

        private RecordingStore(HttpServer server, URI upstream) {
            this.server = server;
            this.upstream = upstream;
        }

        static RecordingStore before(LocalDynamo dynamo) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            RecordingStore store = new RecordingStore(server, URI.create(dynamo.endpoint() + "/"));
            server.createContext("/", store::forward);
            server.start();
            return store;
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void forward(HttpExchange exchange) throws IOException {
            try (exchange) {
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
                if (token != null) {
                    sessionTokens.add(token);
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status;
                byte[] answer;
                if (refuseWith != null) {
                    status = 400;
                    answer = refuseWith.getBytes(StandardCharsets.UTF_8);
                } else {
                    HttpRequest.Builder request = HttpRequest.newBuilder(upstream).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    for (String header : List.of("Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization")) {
                        request.header(header, exchange.getRequestHeaders().getFirst(header));
                    }
                    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    answer = response.body();
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(answer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
