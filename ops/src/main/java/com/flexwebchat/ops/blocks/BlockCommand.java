package com.flexwebchat.ops.blocks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.ops.AwsCli;
import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.protection.BlockList.Block;
import com.flexwebchat.shared.protection.BlockList.Kind;
import com.flexwebchat.shared.store.IpAddress;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./run-local block}: the block list of the abuse protections ({@link BlockList}), in the
 * store of a local run or, with {@code --stack-name}, of a deployed stack. It writes what the
 * functions read: the same items, with hashes made with the same key, so a block takes effect on
 * every instance within BLOCK_LIST_REFRESH (5 s by default).
 *
 * <p>The list holds hashes, not addresses, emails or identities: {@code list} shows each block's
 * kind, reason and expiry, and {@code check} says whether a given visitor is blocked and by what.
 */
public final class BlockCommand {

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: ./run-local block add (ip|email|identity) VALUE [--for DURATION] [--reason TEXT] [--stack-name NAME]",
            "       ./run-local block remove (ip|email|identity) VALUE [--stack-name NAME]",
            "       ./run-local block list [--stack-name NAME]",
            "       ./run-local block check [--ip ADDRESS] [--email EMAIL] [--identity IDENTITY] [--stack-name NAME]",
            "An ip is an address or a CIDR range (203.0.113.0/24); DURATION is 30m, 12h, 7d or ISO-8601 (P7D); without",
            "--for a block stays until removed. Without --stack-name, the store of the ./run-local running on this machine.");

    /** How long the command waits for one store call: an operator at a console, not a visitor. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([mhdw])");
    private static final Pattern TABLE_ARN = Pattern.compile("arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):\\d{12}:table/([A-Za-z0-9_.-]+)");

    /**
     * A block list to manage.
     *
     * @param description   one line naming where it is, without secrets
     * @param ifUnreachable what to say when its store does not answer
     */
    public record Target(BlockList blocks, String description, String ifUnreachable) {

        /** The block list in {@code table}, hashed with {@code hashKey} as the functions hash. */
        public static Target of(DynamoDb db, String table, byte[] hashKey, String description, String ifUnreachable) {
            Clock clock = Clock.systemUTC();
            return new Target(new BlockList(new WebChatStore(db, table, clock), new KeyedHash(hashKey), Duration.ZERO, clock),
                    description, ifUnreachable);
        }
    }

    /** Where the block list is: the local run's store, or a deployed stack's. */
    public interface Targets {

        /** The store of {@code ./run-local} on this machine. */
        Target local();

        /** The store of the stack {@code stackName}. */
        Target deployed(String stackName);
    }

    /** One command line, parsed. */
    record Request(String verb, Kind kind, String value, Duration duration, String reason, String stack,
                   String ip, String email, String identity) {
    }

    private BlockCommand() {
    }

    /**
     * The whole command: 0 when done (for {@code check}: when the visitor is not blocked), 1 when the
     * store or the stack could not be read (for {@code check}: when the visitor is blocked), 2 for bad
     * arguments, before any call.
     */
    public static int run(String[] args, Targets targets, PrintStream out, PrintStream err) {
        Request request;
        try {
            request = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("./run-local block: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (request == null) {
            out.println(USAGE);
            return 0;
        }
        // The store's warnings (a failed call) go with the errors.
        Log.redirect(err);
        Target target = null;
        try {
            target = request.stack() == null ? targets.local() : targets.deployed(request.stack());
            return switch (request.verb()) {
                case "add" -> add(target, request, out);
                case "remove" -> remove(target, request, out);
                case "list" -> list(target, out);
                default -> check(target, request, out);
            };
        } catch (AwsException e) {
            String hint = e.status() == 0 && target != null ? target.ifUnreachable()
                    : "AccessDeniedException".equals(e.errorType()) ? "your AWS credentials may not use this table" : null;
            err.println("./run-local block: " + e.getMessage() + (hint == null ? "" : " (" + hint + ")"));
            return 1;
        } catch (IllegalStateException e) { // a ConfigException among them
            err.println("./run-local block: " + e.getMessage());
            return 1;
        } finally {
            Log.redirect(null);
        }
    }

    private static int add(Target target, Request request, PrintStream out) {
        Block block = target.blocks().add(request.kind(), request.value(), request.reason(), request.duration());
        out.println("Blocked " + describe(block.kind(), request.value()) + (block.expiresAt() == null ? " until removed"
                : " until " + block.expiresAt().truncatedTo(ChronoUnit.SECONDS)) + (request.reason() == null ? "" : " (" + request.reason() + ")"));
        out.println("  in " + target.description() + "; every instance refuses it within BLOCK_LIST_REFRESH (default 5 s).");
        return 0;
    }

    private static int remove(Target target, Request request, PrintStream out) {
        boolean existed = target.blocks().remove(request.kind(), request.value());
        out.println((existed ? "Unblocked " : "Nothing to remove: no block of ") + describe(request.kind(), request.value())
                + " in " + target.description() + ".");
        return 0;
    }

    private static int list(Target target, PrintStream out) {
        List<Block> blocks = target.blocks().list();
        out.println(blocks.size() + " block" + (blocks.size() == 1 ? "" : "s") + " in " + target.description()
                + (blocks.isEmpty() ? "." : " (addresses, emails and identities are kept as keyed hashes):"));
        for (Block block : blocks) {
            out.printf(Locale.ROOT, "  %-8s %-47s %-22s %s%n", block.kind().name().toLowerCase(Locale.ROOT), block.value(),
                    block.expiresAt() == null ? "until removed" : "until " + block.expiresAt().truncatedTo(ChronoUnit.SECONDS),
                    block.reason().isEmpty() ? "" : block.reason());
        }
        return 0;
    }

    private static int check(Target target, Request request, PrintStream out) {
        // find() keeps to its last copy (here: none) when the store does not answer, as the functions must
        // (fail open); read the list first, so an operator is told the store failed rather than "Not blocked".
        target.blocks().list();
        Optional<Block> block = target.blocks().find(request.ip(), request.email(), request.identity());
        if (block.isEmpty()) {
            out.println("Not blocked in " + target.description() + ".");
            return 0;
        }
        Block found = block.get();
        out.println("Blocked in " + target.description() + ": " + found.kind().name().toLowerCase(Locale.ROOT) + " "
                + found.value() + (found.expiresAt() == null ? ", until removed" : ", until " + found.expiresAt().truncatedTo(ChronoUnit.SECONDS))
                + (found.reason().isEmpty() ? "" : " (" + found.reason() + ")"));
        return 1;
    }

    private static String describe(Kind kind, String value) {
        return kind.name().toLowerCase(Locale.ROOT) + " " + value;
    }

    // ---------------------------------------------------------------- arguments

    /** The request, or null for {@code --help}; every value checked before any call. */
    static Request parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("say what to do: add, remove, list or check");
        }
        String verb = args[0];
        if (verb.equals("-h") || verb.equals("--help") || verb.equals("help")) {
            return null;
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return null;
            }
            if (arg.startsWith("--")) {
                if (!List.of("--for", "--reason", "--stack-name", "--ip", "--email", "--identity").contains(arg)) {
                    throw new IllegalArgumentException("unknown option " + arg);
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                if (options.put(arg, args[++i]) != null) {
                    throw new IllegalArgumentException(arg + " is given twice");
                }
            } else {
                positional.add(arg);
            }
        }
        String stack = options.remove("--stack-name");
        switch (verb) {
            case "add", "remove" -> {
                if (positional.size() != 2) {
                    throw new IllegalArgumentException(verb + " takes a kind (ip, email or identity) and a value");
                }
                Kind kind = kind(positional.get(0));
                String value = value(kind, positional.get(1));
                Duration duration = verb.equals("add") ? duration(options.remove("--for")) : null;
                String reason = verb.equals("add") ? reason(options.remove("--reason")) : null;
                only(verb, options);
                return new Request(verb, kind, value, duration, reason, stack, null, null, null);
            }
            case "list" -> {
                if (!positional.isEmpty()) {
                    throw new IllegalArgumentException("list takes no value");
                }
                only(verb, options);
                return new Request(verb, null, null, null, null, stack, null, null, null);
            }
            case "check" -> {
                if (!positional.isEmpty()) {
                    throw new IllegalArgumentException("check takes --ip, --email or --identity, not a bare value");
                }
                String ip = options.remove("--ip");
                String email = options.remove("--email");
                String identity = options.remove("--identity");
                only(verb, options);
                if (ip == null && email == null && identity == null) {
                    throw new IllegalArgumentException("check needs --ip, --email or --identity");
                }
                if (ip != null && IpAddress.parse(ip).isEmpty()) {
                    throw new IllegalArgumentException("--ip must be one IP address, got '" + ip + "'");
                }
                return new Request(verb, null, null, null, null, stack, ip, email == null ? null : value(Kind.EMAIL, email),
                        identity == null ? null : value(Kind.IDENTITY, identity));
            }
            default -> throw new IllegalArgumentException("unknown action '" + verb + "': add, remove, list or check");
        }
    }

    private static void only(String verb, Map<String, String> left) {
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(verb + " does not take " + String.join(", ", left.keySet()));
        }
    }

    private static Kind kind(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ip" -> Kind.IP;
            case "email" -> Kind.EMAIL;
            case "identity" -> Kind.IDENTITY;
            default -> throw new IllegalArgumentException("a block is of an ip, an email or an identity, not '" + text + "'");
        };
    }

    private static String value(Kind kind, String value) {
        String trimmed = value.strip();
        switch (kind) {
            case IP -> {
                String[] parts = trimmed.split("/", 2);
                if (IpAddress.parse(parts[0]).isEmpty()) {
                    throw new IllegalArgumentException("not an IP address or CIDR range: '" + value + "'");
                }
                if (parts.length == 2) {
                    int bits = IpAddress.parse(parts[0]).get().length * 8;
                    int prefix;
                    try {
                        prefix = Integer.parseInt(parts[1]);
                    } catch (NumberFormatException e) {
                        prefix = -1;
                    }
                    if (prefix < 0 || prefix > bits) {
                        throw new IllegalArgumentException("a CIDR prefix is /0 to /" + bits + ", got '" + value + "'");
                    }
                    if (prefix < bits / 4) {
                        throw new IllegalArgumentException("/" + prefix + " would block a quarter of the Internet or more;"
                                + " a range is at least /" + bits / 4);
                    }
                }
            }
            case EMAIL -> {
                if (!trimmed.matches("[^@\\s]+@[^@\\s]+")) {
                    throw new IllegalArgumentException("not an email address: '" + value + "'");
                }
            }
            default -> {
                if (trimmed.isEmpty() || trimmed.length() > 256) {
                    throw new IllegalArgumentException("an identity is 1 to 256 characters");
                }
            }
        }
        return trimmed;
    }

    /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w} or an ISO-8601 duration; null: until removed. */
    static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        Duration duration;
        Matcher matcher = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            try {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> Duration.ofDays(Math.multiplyExact(7, amount));
                };
            } catch (NumberFormatException | ArithmeticException tooLong) { // more than a long, or a Duration, holds
                throw new IllegalArgumentException("--for must be from 1 minute to 10 years, got '" + text + "'");
            }
        } else {
            try {
                duration = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--for takes 30m, 12h, 7d, 2w or an ISO-8601 duration, got '" + text + "'");
            }
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException("--for must be from 1 minute to 10 years, got '" + text + "'");
        }
        return duration;
    }

    private static String reason(String text) {
        if (text == null) {
            return null;
        }
        String reason = text.strip();
        if (reason.length() > 200 || reason.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--reason is one line of at most 200 characters");
        }
        return reason.isEmpty() ? null : reason;
    }

    // ---------------------------------------------------------------- a deployed stack

    /**
     * A deployed stack's block list, through the AWS CLI: the table from the stack's
     * {@code StoreTableArn} output (its Region too), the hash key from the stack's secret
     * (STORE_HASH_KEY, else derived from API_SECRET, as the functions do), and the CLI's credentials,
     * which need dynamodb:Query, PutItem, GetItem and DeleteItem on the table and
     * secretsmanager:GetSecretValue on the secret. As the CLI and the SDKs do, it honours
     * AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL in {@code environment}.
     */
    public static Target deployed(AwsCli aws, String stack, Map<String, String> environment) {
        String arn = aws.stackOutput(stack, "StoreTableArn");
        Matcher table = TABLE_ARN.matcher(arn);
        if (!table.matches()) {
            throw new IllegalStateException("the stack's StoreTableArn is not a DynamoDB table ARN: " + arn);
        }
        String secretArn = aws.stackParameter(stack, "TwilioSecretArn");
        if (secretArn.isEmpty()) {
            throw new IllegalStateException("stack " + stack + " has no TwilioSecretArn, so its functions have no hash key"
                    + " this command could match");
        }
        JsonNode secret = jsonObject(aws.secretString(secretArn), "the secret " + secretArn);
        String storeHashKey = text(secret, "STORE_HASH_KEY");
        String apiSecret = text(secret, "API_SECRET");
        if (storeHashKey == null && apiSecret == null) {
            throw new IllegalStateException("the secret has neither STORE_HASH_KEY nor API_SECRET");
        }
        JsonNode credentials = jsonObject(aws.credentialsJson(), "the AWS CLI's credentials");
        Map<String, String> env = new LinkedHashMap<>();
        for (String endpoint : List.of("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL")) {
            if (environment.get(endpoint) != null && !environment.get(endpoint).isBlank()) {
                env.put(endpoint, environment.get(endpoint));
            }
        }
        String accessKeyId = text(credentials, "AccessKeyId");
        String secretAccessKey = text(credentials, "SecretAccessKey");
        if (accessKeyId == null || secretAccessKey == null) {
            throw new IllegalStateException("the AWS CLI's credentials have no AccessKeyId and SecretAccessKey");
        }
        env.put("AWS_REGION", table.group(1));
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        String sessionToken = text(credentials, "SessionToken");
        if (sessionToken != null) {
            env.put("AWS_SESSION_TOKEN", sessionToken);
        }
        return Target.of(DynamoDb.fromEnvironment(env, CALL_TIMEOUT), table.group(2),
                Protections.hashKey(storeHashKey, apiSecret),
                "table " + table.group(2) + " in " + table.group(1) + " (stack " + stack + ")", null);
    }

    private static JsonNode jsonObject(String text, String what) {
        try {
            JsonNode node = Json.parse(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // said below, without quoting a secret
        }
        throw new IllegalStateException(what + " is not a JSON object");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
