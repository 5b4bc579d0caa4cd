package com.flexwebchat.shared.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The backend's one DynamoDB table (STORE_TABLE): shared state every instance of every function
 * sees at once. Items have a partition key {@code pk}, a sort key {@code sk} ({@value #ONLY} where a
 * partition holds one item), an expiry {@code ttl} (epoch seconds; DynamoDB's TTL deletes expired
 * items within days, so reads here treat an expired item as absent) and string attributes.
 * Keys hold no visitor's value in the clear: callers build them from {@link KeyedHash}es.
 *
 * <p>Every call is one DynamoDB request, bounded by {@link DynamoDb}'s timeout and the invocation's
 * deadline; a failure comes out as {@link AwsException}, and each caller decides whether that
 * fails open or closed.
 */
public final class WebChatStore {

    /** The sort key of a partition's single item. */
    public static final String ONLY = "-";
    static final String COUNT = "n";
    static final String TTL = "ttl";
    static final String CONDITION_FAILED = "ConditionalCheckFailedException";

    private final DynamoDb db;
    private final String table;
    private final Clock clock;

    public WebChatStore(DynamoDb db, String table, Clock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    public DynamoDb db() {
        return db;
    }

    /**
     * One more in {@code pk}'s counter, unless it has reached {@code limit}: atomic across every
     * instance (a conditional {@code ADD}), so N concurrent callers with a limit of 5 get exactly 5 counts.
     *
     * @param expires when the counter (a window) ends
     * @return the new count, or empty when the limit was reached
     */
    public OptionalLong countUpTo(String pk, long limit, Instant expires) {
        ObjectNode request = keyed(pk, ONLY);
        request.put("UpdateExpression", "ADD #n :one SET #ttl = if_not_exists(#ttl, :ttl)");
        request.put("ConditionExpression", "attribute_not_exists(#n) OR #n < :limit");
        request.set("ExpressionAttributeNames", Json.object().put("#n", COUNT).put("#ttl", TTL));
        ObjectNode values = Json.object();
        values.set(":one", number(1));
        values.set(":ttl", number(expires.getEpochSecond()));
        values.set(":limit", number(limit));
        request.set("ExpressionAttributeValues", values);
        request.put("ReturnValues", "UPDATED_NEW");
        try {
            JsonNode answer = db.call("UpdateItem", request);
            return OptionalLong.of(Long.parseLong(answer.path("Attributes").path(COUNT).path("N").asText("0")));
        } catch (AwsException e) {
            if (CONDITION_FAILED.equals(e.errorType())) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /**
     * One less in {@code pk}'s counter, for a count a request took and then did not use; never
     * below zero, and nothing for a counter that is gone (its window ended).
     */
    public void uncount(String pk) {
        ObjectNode request = keyed(pk, ONLY);
        request.put("UpdateExpression", "ADD #n :minusOne");
        request.put("ConditionExpression", "#n > :zero");
        request.set("ExpressionAttributeNames", Json.object().put("#n", COUNT));
        ObjectNode values = Json.object();
        values.set(":minusOne", number(-1));
        values.set(":zero", number(0));
        request.set("ExpressionAttributeValues", values);
        try {
            db.call("UpdateItem", request);
        } catch (AwsException e) {
            if (!CONDITION_FAILED.equals(e.errorType())) {
                throw e;
            }
        }
    }

    /**
     * Writes the item unless a live one holds the key: the first of several concurrent callers
     * gets true, every other false.
     */
    public boolean putIfAbsent(String pk, String sk, Map<String, String> attributes, Instant expires) {
        ObjectNode request = item(pk, sk, attributes, expires);
        // Expired from the second its ttl names, as live() reads it: a claim get() no longer sees is free.
        request.put("ConditionExpression", "attribute_not_exists(pk) OR #ttl <= :now");
        request.set("ExpressionAttributeNames", Json.object().put("#ttl", TTL));
        ObjectNode now = Json.object();
        now.set(":now", number(clock.instant().getEpochSecond()));
        request.set("ExpressionAttributeValues", now);
        try {
            db.call("PutItem", request);
            return true;
        } catch (AwsException e) {
            if (CONDITION_FAILED.equals(e.errorType())) {
                return false;
            }
            throw e;
        }
    }

    /** Writes the item, whatever was there. */
    public void put(String pk, String sk, Map<String, String> attributes, Instant expires) {
        db.call("PutItem", item(pk, sk, attributes, expires));
    }

    /** Adds or replaces attributes of an existing item. */
    public void set(String pk, String sk, Map<String, String> attributes) {
        ObjectNode request = keyed(pk, sk);
        StringBuilder expression = new StringBuilder("SET ");
        ObjectNode names = Json.object();
        ObjectNode values = Json.object();
        int i = 0;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            expression.append(i == 0 ? "" : ", ").append("#a").append(i).append(" = :v").append(i);
            names.put("#a" + i, attribute.getKey());
            values.set(":v" + i, string(attribute.getValue()));
            i++;
        }
        request.put("UpdateExpression", expression.toString());
        request.set("ExpressionAttributeNames", names);
        request.set("ExpressionAttributeValues", values);
        db.call("UpdateItem", request);
    }

    /** The item's attributes (with {@code ttl}), read consistently; empty when absent or expired. */
    public Optional<Map<String, String>> get(String pk, String sk) {
        ObjectNode request = keyed(pk, sk);
        request.put("ConsistentRead", true);
        JsonNode item = db.call("GetItem", request).path("Item");
        return item.isObject() ? live(item) : Optional.empty();
    }

    public void delete(String pk, String sk) {
        db.call("DeleteItem", keyed(pk, sk));
    }

    /** Every live item of the partition, {@code sk} included, in sort-key order. */
    public List<Map<String, String>> query(String pk) {
        List<Map<String, String>> items = new ArrayList<>();
        JsonNode lastKey = null;
        do {
            ObjectNode request = Json.object().put("TableName", table).put("ConsistentRead", true);
            request.put("KeyConditionExpression", "pk = :pk");
            ObjectNode values = Json.object();
            values.set(":pk", string(pk));
            request.set("ExpressionAttributeValues", values);
            if (lastKey != null) {
                request.set("ExclusiveStartKey", lastKey);
            }
            JsonNode answer = db.call("Query", request);
            for (JsonNode item : answer.path("Items")) {
                live(item).ifPresent(items::add);
            }
            lastKey = answer.get("LastEvaluatedKey");
        } while (lastKey != null && !lastKey.isNull());
        return items;
    }

    private Optional<Map<String, String>> live(JsonNode item) {
        Map<String, String> attributes = new LinkedHashMap<>();
        item.properties().forEach(field -> {
            JsonNode value = field.getValue();
            attributes.put(field.getKey(), value.has("S") ? value.get("S").asText() : value.path("N").asText(""));
        });
        String ttl = attributes.get(TTL);
        if (ttl != null && !ttl.isEmpty() && Long.parseLong(ttl) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(attributes);
    }

    private ObjectNode keyed(String pk, String sk) {
        ObjectNode request = Json.object().put("TableName", table);
        ObjectNode key = Json.object();
        key.set("pk", string(pk));
        key.set("sk", string(sk));
        request.set("Key", key);
        return request;
    }

    private ObjectNode item(String pk, String sk, Map<String, String> attributes, Instant expires) {
        ObjectNode item = Json.object();
        item.set("pk", string(pk));
        item.set("sk", string(sk));
        attributes.forEach((name, value) -> item.set(name, string(value)));
        if (expires != null) {
            item.set(TTL, number(expires.getEpochSecond()));
        }
        ObjectNode request = Json.object().put("TableName", table);
        request.set("Item", item);
        return request;
    }

    private static ObjectNode string(String value) {
        return Json.object().put("S", value);
    }

    private static ObjectNode number(long value) {
        return Json.object().put("N", Long.toString(value));
    }
}
