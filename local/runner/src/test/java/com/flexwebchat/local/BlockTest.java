package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.ops.blocks.BlockCommand;
import com.flexwebchat.ops.blocks.BlockCommand.Target;
import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.standins.LocalDynamo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run-local block} without {@code --stack-name}: which store it finds and which hash key it
 * makes from the run's settings, on the JVM's dynalite (emptied before each test).
 */
class BlockTest {

    private static final String API_SECRET = "a-real-accounts-api-secret-0123456789";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void emptyStore() {
        EmulatedTwilio.dynamo().clear();
    }

    private static LocalDynamo dynamo() {
        return EmulatedTwilio.dynamo();
    }

    /** Settings that name the JVM's dynalite, as a second shell names the store a ./run-local banner shows. */
    private static Map<String, String> settings(String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("STORE_TABLE", LocalDynamo.TABLE,
                "AWS_ENDPOINT_URL_DYNAMODB", dynamo().endpoint()));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    private int block(Map<String, String> settings, String... args) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return BlockCommand.run(args, new BlockCommand.Targets() {
            @Override
            public Target local() {
                return Block.local(settings);
            }

            @Override
            public Target deployed(String stackName) {
                throw new AssertionError("no stack was named");
            }
        }, print, print);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The functions' block list on the same table, with the key they would make. */
    private static BlockList functions(byte[] hashKey) {
        Clock clock = Clock.systemUTC();
        return new BlockList(new WebChatStore(DynamoDb.fromEnvironment(dynamo().environment(), Duration.ofSeconds(5)),
                LocalDynamo.TABLE, clock), new KeyedHash(hashKey), Duration.ZERO, clock);
    }

    private static boolean blocks(byte[] hashKey, String ip) {
        return functions(hashKey).find(ip, null, null).isPresent();
    }

    @Test
    void withoutAnAccountTheHashKeyIsTheEmulatorsAsLocalApiGivesItsFunctions() {
        // An API_SECRET without ACCOUNT_SID is not used: LocalApi then runs the emulator's account.
        assertEquals(0, block(settings("API_SECRET", API_SECRET), "add", "ip", "203.0.113.7"), printed());

        assertTrue(printed().contains("in table " + LocalDynamo.TABLE + " at " + dynamo().endpoint() + " (STORE_TABLE)"), printed());
        assertTrue(blocks(Protections.hashKey(null, EmulatorAccount.defaults().apiSecret()), "203.0.113.7"));
        assertFalse(blocks(Protections.hashKey(null, API_SECRET), "203.0.113.7"));
    }

    @Test
    void withAnAccountTheHashKeyComesFromItsApiSecret() {
        assertEquals(0, block(settings("ACCOUNT_SID", "AC" + "7".repeat(32), "API_SECRET", API_SECRET),
                "add", "ip", "203.0.113.7"), printed());

        assertTrue(blocks(Protections.hashKey(null, API_SECRET), "203.0.113.7"));
        assertFalse(blocks(Protections.hashKey(null, EmulatorAccount.defaults().apiSecret()), "203.0.113.7"));
        assertFalse(printed().contains(API_SECRET));
    }

    @Test
    void storeHashKeyWinsOverApiSecret() {
        String storeHashKey = "a-store-hash-key-of-32-characters";
        assertEquals(0, block(settings("ACCOUNT_SID", "AC" + "7".repeat(32), "API_SECRET", API_SECRET,
                "STORE_HASH_KEY", storeHashKey), "add", "ip", "203.0.113.7"), printed());

        assertTrue(blocks(Protections.hashKey(storeHashKey, API_SECRET), "203.0.113.7"));
        assertFalse(blocks(Protections.hashKey(null, API_SECRET), "203.0.113.7"));
        assertFalse(printed().contains(storeHashKey));
    }

    @Test
    void anAccountWithoutApiSecretOrStoreHashKeyExits1() {
        assertEquals(1, block(settings("ACCOUNT_SID", "AC" + "7".repeat(32)), "list"));

        assertEquals("./run-local block: STORE_HASH_KEY or API_SECRET is needed (environment or .env): the functions' hashes"
                + " are made with a key from them" + System.lineSeparator(), printed());
    }

    @Test
    void aShortStoreHashKeyExits1WithoutShowingIt() {
        assertEquals(1, block(settings("STORE_HASH_KEY", "too-short-key"), "list"));

        assertTrue(printed().startsWith("./run-local block: STORE_HASH_KEY must have at least 16 characters"), printed());
        assertFalse(printed().contains("too-short-key"));
    }

    @Test
    void aStoreTableThatDoesNotAnswerExits1WithTheHint() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        assertEquals(1, block(settings("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closed), "check", "--ip", "203.0.113.7"));

        assertEquals("./run-local block: could not reach DynamoDB for Query: ConnectException (is the store STORE_TABLE and"
                + " AWS_ENDPOINT_URL_DYNAMODB name running?)" + System.lineSeparator(), printed());
    }

    @Test
    void withoutStoreTableItLooksWhereRunLocalStartsItsStore() {
        Target target = Block.local(Map.of());

        assertEquals("the store of ./run-local at http://127.0.0.1:" + LocalProtections.DEFAULT_STORE_PORT, target.description());
        assertEquals("./run-local is not running here, or its store is on another port: start ./run-local first, or set"
                + " STORE_TABLE=" + LocalDynamo.TABLE + " and AWS_ENDPOINT_URL_DYNAMODB to the store its banner shows",
                target.ifUnreachable());
    }
}
