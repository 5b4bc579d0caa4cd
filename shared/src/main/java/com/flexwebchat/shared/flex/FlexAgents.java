package com.flexwebchat.shared.flex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.taskrouter.v1.workspace.Worker;
import com.twilio.rest.taskrouter.v1.workspace.WorkerFetcher;
import com.twilio.rest.taskrouter.v1.workspace.WorkerReader;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is a Flex agent: a chat identity is an agent's when a TaskRouter worker of Flex's workspace
 * has it as {@code contact_uri} ({@code client:<identity>}), which is how Flex ties a worker to
 * the identity its UI joins conversations with. The web chat visitor has no worker.
 */
public final class FlexAgents {

    /** An agent, and the name customers may see: the worker's {@code public_identity}, or null when it has none. */
    public record Agent(String workerSid, String publicIdentity) {
    }

    /**
     * What can go inside the expression's double quotes as it is. TaskRouter's expression syntax
     * has no documented escape (https://www.twilio.com/docs/taskrouter/expression-syntax), and
     * Flex's identities never contain quotes, backslashes or control characters.
     */
    private static final Pattern QUOTABLE = Pattern.compile("[^\"\\\\\\p{Cntrl}]{1,256}");
    /** One is expected; two tell us the directory is ambiguous. */
    private static final long PAGE_SIZE = 2;

    private final TwilioGateway twilio;
    private final String workspaceSid;

    public FlexAgents(TwilioGateway twilio, String workspaceSid) {
        this.twilio = twilio;
        this.workspaceSid = workspaceSid;
    }

    public Optional<Agent> find(String identity) {
        if (identity == null || !QUOTABLE.matcher(identity).matches()) {
            return Optional.empty();
        }
        String expression = "contact_uri == \"client:" + identity + "\"";
        List<Worker> workers = twilio.call("look up the agent's worker", client -> new WorkerReader(workspaceSid)
                .setTargetWorkersExpression(expression)
                .setPageSize(PAGE_SIZE)
                .firstPage(client)
                .getRecords());
        if (workers.isEmpty()) {
            return Optional.empty();
        }
        if (workers.size() > 1) {
            Log.warn("More than one worker has this identity as contact_uri; the first one is used");
        }
        // Worker lists leave attributes out ("only displayed in FETCH actions that return a single
        // resource", TaskRouter's Worker resource), so the worker is read on its own.
        String workerSid = workers.get(0).getSid();
        Worker worker = twilio.call("read the agent's worker", client -> new WorkerFetcher(workspaceSid, workerSid).fetch(client));
        return Optional.of(new Agent(worker.getSid(), publicIdentity(worker.getAttributes())));
    }

    /** The {@code public_identity} attribute when it is a non-blank string; attributes that are not JSON have none. */
    static String publicIdentity(String attributes) {
        if (attributes == null) {
            return null;
        }
        try {
            JsonNode name = Json.parse(attributes).path("public_identity");
            return name.isTextual() && !name.asText().isBlank() ? name.asText().strip() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
