package com.flexwebchat.shared.protection;

import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.store.IpAddress;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may not chat: IP addresses and ranges, emails and identities, each with a reason and an
 * optional expiry, kept in the store's {@value #PARTITION} partition. A single address, an email
 * and an identity are kept as keyed hashes; a range (CIDR shorter than a whole address) is kept as
 * written, since a network range is matched by its bits and names no one person.
 *
 * <p>Every instance reads the whole list again when its copy is older than BLOCK_LIST_REFRESH
 * (default 5 s), so a block takes effect everywhere within seconds. A blocked visitor gets a
 * generic 403 {@code blocked}, before anything reaches Twilio; the reason stays in the store.
 * When the store cannot be read, the last copy is used, or none: blocking is for known abusers,
 * and an unreadable list should not stop every chat.
 */
public final class BlockList {

    /** What a block names. */
    public enum Kind {
        IP, RANGE, EMAIL, IDENTITY;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One block, as kept.
     *
     * @param value     a keyed hash, or for a range the network as written ({@code 203.0.113.0/24})
     * @param createdAt null when the item does not say (one not written by {@link #add})
     * @param expiresAt null for a block that stays until removed
     */
    public record Block(Kind kind, String value, String reason, Instant createdAt, Instant expiresAt) {
    }

    static final String PARTITION = "blocks";

    private final WebChatStore store;
    private final KeyedHash hash;
    private final Duration refresh;
    private final Clock clock;
    private volatile List<Block> copy = List.of();
    private volatile Instant copiedAt = Instant.MIN;

    /** @param store null when STORE_TABLE is not set: nothing is blocked */
    public BlockList(WebChatStore store, KeyedHash hash, Duration refresh, Clock clock) {
        this.store = store;
        this.hash = hash;
        this.refresh = refresh;
        this.clock = clock;
    }

    /**
     * Refuses a blocked visitor: any of an address, an email and an identity (each may be null).
     *
     * @throws ApiError 403 {@code blocked}
     */
    public void check(String ip, String email, String identity) {
        if (store == null) {
            return;
        }
        Optional<Block> block = find(ip, email, identity);
        if (block.isPresent()) {
            Log.warn("Blocked visitor refused", "block", block.get().kind().key(), "subject", block.get().value());
            Metrics.count(MetricName.RequestsBlocked);
            throw ApiError.forbidden("blocked", "This chat is not available");
        }
    }

    /** The block that matches any of an address, an email and an identity (each may be null), if any. */
    public Optional<Block> find(String ip, String email, String identity) {
        List<Block> blocks = current();
        Instant now = clock.instant();
        String ipHash = ip == null ? null : hash.of(KeyedHash.Kind.IP, ip);
        String emailHash = email == null || email.isBlank() ? null : hash.of(KeyedHash.Kind.EMAIL, email);
        String identityHash = identity == null ? null : hash.of(KeyedHash.Kind.IDENTITY, identity);
        byte[] address = ip == null ? null : IpAddress.parse(ip).orElse(null);
        for (Block block : blocks) {
            if (block.expiresAt() != null && !block.expiresAt().isAfter(now)) {
                continue;
            }
            boolean matches = switch (block.kind()) {
                case IP -> block.value().equals(ipHash);
                case EMAIL -> block.value().equals(emailHash);
                case IDENTITY -> block.value().equals(identityHash);
                case RANGE -> address != null && inRange(address, block.value());
            };
            if (matches) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }

    /**
     * Blocks {@code value} (an address or range, an email, an identity); a second block of the same value replaces the first.
     * An address and a range may be given as either {@link Kind#IP} or {@link Kind#RANGE}: a CIDR shorter than a whole
     * address is kept as a range, anything else ({@code /32}, {@code /128}, no prefix) as one address.
     *
     * @throws IllegalArgumentException for an IP or range that is not an address literal or CIDR
     */
    public Block add(Kind kind, String value, String reason, Duration duration) {
        Block block = new Block(stored(kind, value), keyOf(kind, value), reason,
                clock.instant(), duration == null ? null : clock.instant().plus(duration));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("reason", reason == null ? "" : reason);
        attributes.put("createdAt", block.createdAt().toString());
        if (block.expiresAt() != null) {
            attributes.put("expiresAt", block.expiresAt().toString());
        }
        store.put(PARTITION, block.kind().key() + "#" + block.value(), attributes, block.expiresAt());
        copiedAt = Instant.MIN;
        return block;
    }

    /** Lifts the block of {@code value}; false when there was none. */
    public boolean remove(Kind kind, String value) {
        String sk = stored(kind, value).key() + "#" + keyOf(kind, value);
        boolean existed = store.get(PARTITION, sk).isPresent();
        store.delete(PARTITION, sk);
        copiedAt = Instant.MIN;
        return existed;
    }

    /** Every block in force (DynamoDB deletes expired items only within days of their expiry). */
    public List<Block> list() {
        Instant now = clock.instant();
        return read().stream().filter(block -> block.expiresAt() == null || block.expiresAt().isAfter(now)).toList();
    }

    private List<Block> current() {
        if (Duration.between(copiedAt, clock.instant()).compareTo(refresh) < 0) {
            return copy;
        }
        try {
            copy = read();
            copiedAt = clock.instant();
        } catch (AwsException e) {
            Log.warn("Block list not refreshed: the store did not answer; the last copy is used", "awsStatus", e.status(),
                    "awsError", e.errorType(), "blocks", copy.size(), "failOpen", true);
        }
        return copy;
    }

    /**
     * Every block kept. An item this class cannot read as one (written by hand, or by a later version: no
     * {@code kind#value}, an unknown kind, a range that is not one, a date that is not one) is skipped and said so,
     * rather than failing every request that checks the list.
     */
    private List<Block> read() {
        List<Block> blocks = new ArrayList<>();
        int skipped = 0;
        for (Map<String, String> item : store.query(PARTITION)) {
            try {
                blocks.add(block(item));
            } catch (IllegalArgumentException | DateTimeException e) {
                skipped++;
            }
        }
        if (skipped > 0) {
            Log.warn("Block list items skipped: not blocks as this function keeps them", "skipped", skipped);
        }
        return blocks;
    }

    private static Block block(Map<String, String> item) {
        String[] sk = item.get("sk").split("#", 2);
        if (sk.length != 2 || sk[1].isEmpty()) {
            throw new IllegalArgumentException("no kind#value");
        }
        Kind kind = Kind.valueOf(sk[0].toUpperCase(Locale.ROOT));
        if (kind == Kind.RANGE && !isRange(sk[1])) {
            throw new IllegalArgumentException("not a range");
        }
        String created = item.get("createdAt");
        String expires = item.get("expiresAt");
        return new Block(kind, sk[1], item.getOrDefault("reason", ""), created == null ? null : Instant.parse(created),
                expires == null ? null : Instant.parse(expires));
    }

    /** The kind a block of {@code value} is kept as: an address given as a range, or a range given as an address, is what it is. */
    private static Kind stored(Kind kind, String value) {
        return switch (kind) {
            case IP, RANGE -> isRange(value) ? Kind.RANGE : Kind.IP;
            case EMAIL, IDENTITY -> kind;
        };
    }

    /** What is kept for a value: a range as its network, anything else as a keyed hash. */
    String keyOf(Kind kind, String value) {
        return switch (kind) {
            case IP, RANGE -> isRange(value) ? network(value) : hash.of(KeyedHash.Kind.IP, address(value));
            case EMAIL -> hash.of(KeyedHash.Kind.EMAIL, value);
            case IDENTITY -> hash.of(KeyedHash.Kind.IDENTITY, value);
        };
    }

    /**
     * The address of {@code 203.0.113.7} or {@code 203.0.113.7/32} (a value {@link #isRange} found no range in); text
     * that is not an address is refused rather than kept as a block that can never match.
     */
    private static String address(String value) {
        String address = value.split("/", 2)[0];
        if (IpAddress.parse(address).isEmpty()) {
            throw new IllegalArgumentException("not an IP address or range: " + value);
        }
        return address;
    }

    /** A CIDR whose prefix is shorter than the whole address (a {@code /32} or {@code /128} is one address). */
    static boolean isRange(String value) {
        String[] parts = value.split("/", 2);
        if (parts.length != 2) {
            return false;
        }
        Optional<byte[]> address = IpAddress.parse(parts[0]);
        return address.isPresent() && prefix(parts[1], address.get().length * 8) < address.get().length * 8;
    }

    /** {@code 203.0.113.7/24} as its network, {@code 203.0.113.0/24}. */
    static String network(String cidr) {
        String[] parts = cidr.split("/", 2);
        byte[] address = IpAddress.parse(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IP range: " + cidr));
        int prefix = prefix(parts[1], address.length * 8);
        for (int bit = prefix; bit < address.length * 8; bit++) {
            address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return java.net.InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean inRange(byte[] address, String range) {
        String[] parts = range.split("/", 2);
        return IpAddress.parse(parts[0]).map(network -> IpAddress.inRange(address, network, prefix(parts[1], network.length * 8)))
                .orElse(false);
    }

    private static int prefix(String text, int bits) {
        try {
            int prefix = Integer.parseInt(text.strip());
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("a prefix length from 0 to " + bits + ", got /" + text);
            }
            return prefix;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: /" + text);
        }
    }
}
