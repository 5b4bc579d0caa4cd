package com.flexwebchat.local;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.ops.AwsCli;
import com.flexwebchat.ops.blocks.BlockCommand;
import com.flexwebchat.ops.blocks.BlockCommand.Target;
import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.standins.LocalDynamo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./run-local block}: the operations tool {@link BlockCommand} (module ops). With
 * {@code --stack-name}, a deployed stack's store through the AWS CLI; without, the store
 * {@code ./run-local} uses with the same settings (the environment over .env): the table
 * STORE_TABLE names when it is set, else the dynalite a running {@code ./run-local} started on
 * 127.0.0.1:{@value LocalProtections#DEFAULT_STORE_PORT}. The hash key is the one that run's
 * functions use: STORE_HASH_KEY, else derived from API_SECRET (the emulator's without ACCOUNT_SID).
 */
public final class Block {

    private Block() {
    }

    public static void main(String[] args) {
        DotEnv dotEnv = DotEnv.read(Path.of(".env"));
        dotEnv.warnings().forEach(warning -> System.err.println(".env " + warning));
        Map<String, String> settings = LocalSettings.merge(System.getenv(), dotEnv);
        AwsCli aws = new AwsCli("aws");
        System.exit(BlockCommand.run(args, new BlockCommand.Targets() {
            @Override
            public Target local() {
                return Block.local(settings);
            }

            @Override
            public Target deployed(String stackName) {
                return BlockCommand.deployed(aws, stackName, System.getenv());
            }
        }, System.out, System.err));
    }

    /** The store a local run with these settings uses ({@link LocalProtections}), and its functions' hash key. */
    static Target local(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        String table;
        String description;
        String ifUnreachable;
        if (LocalSettings.isSet(settings, "STORE_TABLE")) {
            env.putAll(settings);
            env.putIfAbsent("AWS_REGION", "us-east-1");
            LocalProtections.placeholderCredentials(settings, env);
            table = settings.get("STORE_TABLE").trim();
            description = "table " + table + (LocalSettings.isSet(settings, "AWS_ENDPOINT_URL_DYNAMODB")
                    ? " at " + settings.get("AWS_ENDPOINT_URL_DYNAMODB").trim() : "") + " (STORE_TABLE)";
            ifUnreachable = "is the store STORE_TABLE and AWS_ENDPOINT_URL_DYNAMODB name running?";
        } else {
            String endpoint = "http://127.0.0.1:" + LocalProtections.DEFAULT_STORE_PORT;
            env.put("AWS_REGION", LocalDynamo.REGION);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            table = LocalDynamo.TABLE;
            description = "the store of ./run-local at " + endpoint;
            ifUnreachable = "./run-local is not running here, or its store is on another port: start ./run-local first, or"
                    + " set STORE_TABLE=" + LocalDynamo.TABLE + " and AWS_ENDPOINT_URL_DYNAMODB to the store its banner shows";
        }
        String apiSecret = LocalSettings.isSet(settings, "ACCOUNT_SID") ? settings.get("API_SECRET")
                : EmulatorAccount.defaults().apiSecret();
        String storeHashKey = LocalSettings.isSet(settings, "STORE_HASH_KEY") ? settings.get("STORE_HASH_KEY") : null;
        if (storeHashKey == null && (apiSecret == null || apiSecret.isBlank())) {
            throw new ConfigException("STORE_HASH_KEY or API_SECRET is needed (environment or .env): the functions' hashes"
                    + " are made with a key from them");
        }
        return Target.of(DynamoDb.fromEnvironment(env, BlockCommand.CALL_TIMEOUT), table,
                Protections.hashKey(storeHashKey, apiSecret), description, ifUnreachable);
    }
}
