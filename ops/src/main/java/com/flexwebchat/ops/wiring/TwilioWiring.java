package com.flexwebchat.ops.wiring;

import com.flexwebchat.ops.AwsCli;

import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.exception.ApiException;
import com.twilio.rest.conversations.v1.Configuration;
import com.twilio.rest.conversations.v1.ConfigurationFetcher;
import com.twilio.rest.conversations.v1.ConfigurationUpdater;
import com.twilio.rest.conversations.v1.service.configuration.Webhook;
import com.twilio.rest.conversations.v1.service.configuration.WebhookFetcher;
import com.twilio.rest.conversations.v1.service.configuration.WebhookUpdater;
import com.twilio.rest.taskrouter.v1.Workspace;
import com.twilio.rest.taskrouter.v1.WorkspaceFetcher;
import com.twilio.rest.taskrouter.v1.WorkspaceUpdater;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code ./run-local wire}: connects a Twilio account to a deployed stack. Reads what is set now,
 * prints every change it would make, and (without {@code --dry-run}) makes only those; running
 * it again changes nothing and sends no update.
 * <ul>
 *   <li>the Flex Conversations service's pre- and post-event webhook URLs, method and filters;</li>
 *   <li>the TaskRouter workspace's Event Callback URL and event filter;</li>
 *   <li>the account's default closed (and inactive) timer for conversations (CLOSE_AFTER,
 *       INACTIVE_AFTER), the backstop for chats nobody ends.</li>
 * </ul>
 * The routes and events are those of the functions wired ({@link Webhooks}). The API URL is given
 * ({@code --api-url https://...}) or read from a CloudFormation stack's {@code ApiUrl} output
 * ({@code --stack-name NAME}, through the AWS CLI); it must be https, since Twilio sends chats'
 * content there. The Twilio account comes from the settings the caller passes to {@link #run}
 * ({@code ./run-local wire}: the environment and .env), resolved by the caller's {@link Account}
 * function. The auth token is never printed.
 */
public final class TwilioWiring {

    public static final String USAGE = "usage: ./run-local wire (--api-url https://... | --stack-name NAME) [--dry-run]";

    private static final String NOT_SET = "(not set)";
    private static final Duration AWS_CLI_TIMEOUT = Duration.ofSeconds(60);

    /** One setting of one Twilio resource: what it is now and what the stack needs. */
    record Change(Resource resource, String setting, String current, String desired) {
        boolean needed() {
            return !Objects.equals(current, desired);
        }
    }

    /** The Twilio resources wired, each changed with one update request. */
    enum Resource { CONVERSATIONS_SERVICE_WEBHOOKS, TASKROUTER_WORKSPACE, CONVERSATIONS_DEFAULTS }

    /** Where {@code --stack-name} finds the API URL: a stack's output, by key. */
    @FunctionalInterface
    public interface StackOutputs {
        String read(String stackName, String outputKey);
    }

    /**
     * The Twilio account to wire.
     *
     * @param settings    the settings {@link WebChatConfig} reads: ACCOUNT_SID, AUTH_TOKEN,
     *                    CONVERSATIONS_SERVICE_SID, TASKROUTER_WORKSPACE_SID, CLOSE_AFTER, ... (and
     *                    TWILIO_API_BASE_URL for an emulator)
     * @param description one line for the console naming the account, without secrets
     */
    public record Account(Map<String, String> settings, String description) {
    }

    private final TwilioGateway twilio;
    private final String conversationsServiceSid;
    private final String workspaceSid;
    private final WebChatConfig.Endings endings;

    TwilioWiring(TwilioGateway twilio, String conversationsServiceSid, String workspaceSid, WebChatConfig.Endings endings) {
        this.twilio = twilio;
        this.conversationsServiceSid = conversationsServiceSid;
        this.workspaceSid = workspaceSid;
        this.endings = endings;
    }

    static TwilioWiring from(WebChatConfig config) {
        if (config.conversationsServiceSid() == null) {
            throw new ConfigException("CONVERSATIONS_SERVICE_SID is required: the Flex Conversations service to wire");
        }
        if (config.webhooks().taskrouterWorkspaceSid() == null) {
            throw new ConfigException("TASKROUTER_WORKSPACE_SID is required: the Flex TaskRouter workspace to wire");
        }
        return new TwilioWiring(TwilioGateway.connect(config), config.conversationsServiceSid(),
                config.webhooks().taskrouterWorkspaceSid(), config.endings());
    }

    /**
     * The API's base URL: absolute https with a host, no query or fragment (the routes are appended
     * to it), without a trailing slash.
     */
    static URI apiUrl(String value) {
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the API URL is not a URL: " + value);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the API URL must be https (Twilio sends chats' content there): " + value);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the API URL must be the API's base URL, without query, fragment or user: "
                    + value);
        }
        return uri;
    }

    /** What the account has now against what the stack at {@code api} needs. Reads only. */
    List<Change> plan(URI api) {
        List<Change> changes = new ArrayList<>();
        String conversationsUrl = api + Webhooks.CONVERSATIONS_ROUTE;
        Webhook webhooks = twilio.call("read the Conversations service webhooks",
                client -> new WebhookFetcher(conversationsServiceSid).fetch(client));
        Resource service = Resource.CONVERSATIONS_SERVICE_WEBHOOKS;
        changes.add(new Change(service, "Conversations service pre-event URL", text(webhooks.getPreWebhookUrl()), conversationsUrl));
        changes.add(new Change(service, "Conversations service post-event URL", text(webhooks.getPostWebhookUrl()), conversationsUrl));
        changes.add(new Change(service, "Conversations service webhook method", text(webhooks.getMethod()), "POST"));
        changes.add(new Change(service, "Conversations service webhook filters", sorted(webhooks.getFilters()),
                sorted(Webhooks.CONVERSATIONS_EVENTS)));

        Workspace workspace = twilio.call("read the TaskRouter workspace", client -> new WorkspaceFetcher(workspaceSid).fetch(client));
        Resource taskRouter = Resource.TASKROUTER_WORKSPACE;
        changes.add(new Change(taskRouter, "TaskRouter Event Callback URL", text(workspace.getEventCallbackUrl()),
                api + Webhooks.TASKROUTER_ROUTE));
        changes.add(new Change(taskRouter, "TaskRouter event filter", sorted(split(workspace.getEventsFilter())),
                sorted(Webhooks.TASKROUTER_EVENTS)));

        Configuration defaults = twilio.call("read the Conversations defaults", client -> new ConfigurationFetcher().fetch(client));
        Resource timers = Resource.CONVERSATIONS_DEFAULTS;
        changes.add(new Change(timers, "Conversations default closed timer", duration(defaults.getDefaultClosedTimer()),
                endings.closeAfter().toString()));
        if (endings.inactiveAfter() != null) {
            changes.add(new Change(timers, "Conversations default inactive timer", duration(defaults.getDefaultInactiveTimer()),
                    endings.inactiveAfter().toString()));
        }
        return changes;
    }

    /** Makes the needed changes, one Twilio update per resource that has any; returns how many updates it sent. */
    int apply(URI api, List<Change> changes) {
        int updates = 0;
        if (needs(changes, Resource.CONVERSATIONS_SERVICE_WEBHOOKS)) {
            String url = api + Webhooks.CONVERSATIONS_ROUTE;
            twilio.call("set the Conversations service webhooks", client -> new WebhookUpdater(conversationsServiceSid)
                    .setPreWebhookUrl(url).setPostWebhookUrl(url).setMethod("POST").setFilters(Webhooks.CONVERSATIONS_EVENTS)
                    .update(client));
            updates++;
        }
        if (needs(changes, Resource.TASKROUTER_WORKSPACE)) {
            twilio.call("set the TaskRouter event callback", client -> new WorkspaceUpdater(workspaceSid)
                    .setEventCallbackUrl(api + Webhooks.TASKROUTER_ROUTE)
                    .setEventsFilter(Webhooks.TASKROUTER_EVENTS_FILTER).update(client));
            updates++;
        }
        if (needs(changes, Resource.CONVERSATIONS_DEFAULTS)) {
            twilio.call("set the Conversations default timers", client -> {
                ConfigurationUpdater updater = new ConfigurationUpdater().setDefaultClosedTimer(endings.closeAfter().toString());
                if (endings.inactiveAfter() != null) {
                    updater.setDefaultInactiveTimer(endings.inactiveAfter().toString());
                }
                return updater.update(client);
            });
            updates++;
        }
        return updates;
    }

    private static boolean needs(List<Change> changes, Resource resource) {
        return changes.stream().anyMatch(c -> c.resource() == resource && c.needed());
    }

    // ---------------------------------------------------------------- command line

    /**
     * The whole command: 0 when the account is wired (or, with {@code --dry-run}, when the plan
     * could be made), 1 when Twilio or the settings failed, 2 for bad arguments (a URL that is not
     * https among them), before any Twilio call.
     *
     * @param settings the settings the account is read from
     * @param accounts the account those settings name; a {@link ConfigException} says what is missing
     * @param stacks   where {@code --stack-name} is looked up ({@link #awsCli} for the AWS CLI)
     */
    public static int run(String[] args, Map<String, String> settings, Function<Map<String, String>, Account> accounts,
                          StackOutputs stacks, PrintStream out, PrintStream err) {
        String apiUrl = null;
        String stack = null;
        boolean dryRun = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--api-url" -> apiUrl = value(args, ++i, "--api-url");
                    case "--stack-name" -> stack = value(args, ++i, "--stack-name");
                    case "--dry-run" -> dryRun = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if ((apiUrl == null) == (stack == null)) {
                throw new IllegalArgumentException("give either --api-url https://... or --stack-name NAME");
            }
        } catch (IllegalArgumentException e) {
            err.println("./run-local wire: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }

        URI api;
        try {
            api = apiUrl(apiUrl != null ? apiUrl : stacks.read(stack, "ApiUrl"));
        } catch (IllegalArgumentException e) {
            err.println("./run-local wire: " + e.getMessage());
            return 2;
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("./run-local wire: " + e.getMessage());
            return 1;
        }

        // The functions' JSON log lines (a failed Twilio call) go with the errors, not the plan.
        Log.redirect(err);
        try {
            Account account = accounts.apply(settings);
            TwilioWiring wiring = from(WebChatConfig.from(account.settings(), arn -> {
                throw new ConfigException("./run-local wire reads AUTH_TOKEN from the environment or .env, not from Secrets Manager");
            }));
            out.println("Twilio: " + account.description());
            List<Change> changes = wiring.plan(api);
            print(out, api, changes, dryRun);
            if (dryRun) {
                return 0;
            }
            if (changes.stream().noneMatch(Change::needed)) {
                out.println("Nothing to change: Twilio is wired to this API.");
                return 0;
            }
            int updates = wiring.apply(api, changes);
            out.println("Done: " + updates + " update" + (updates == 1 ? "" : "s") + " sent to Twilio.");
            return 0;
        } catch (ConfigException e) {
            err.println("./run-local wire: " + e.getMessage());
            return 1;
        } catch (TwilioFailure e) {
            err.println("./run-local wire: " + e.getMessage() + twilioDetail(e.getCause()));
            return 1;
        } catch (RuntimeException e) {
            // Not Twilio's answer (those are TwilioFailures): say what broke, without a stack trace.
            err.println("./run-local wire: " + e);
            return 1;
        } finally {
            Log.redirect(null);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Twilio's status and error code, which say what went wrong (20003: the credentials, 20404: a SID). */
    private static String twilioDetail(Throwable cause) {
        if (cause instanceof ApiException e) {
            return " (HTTP " + e.getStatusCode() + (e.getCode() == null ? "" : ", Twilio error " + e.getCode()) + ")";
        }
        return "";
    }

    static void print(PrintStream out, URI api, List<Change> changes, boolean dryRun) {
        long needed = changes.stream().filter(Change::needed).count();
        out.println((dryRun ? "Would wire" : "Wiring") + " Twilio to " + api + ": " + needed + " change"
                + (needed == 1 ? "" : "s") + (dryRun ? " (dry run: nothing is changed)" : ""));
        for (Change change : changes) {
            out.printf("  %-40s %s%n", change.setting(), change.needed()
                    ? change.current() + "  ->  " + change.desired()
                    : "unchanged (" + change.desired() + ")");
        }
    }

    /** A stack output through the AWS CLI ({@code executable}), which has the user's credentials and Region. */
    public static StackOutputs awsCli(String executable) {
        AwsCli aws = new AwsCli(executable);
        return (stack, key) -> {
            try {
                return aws.stackOutput(stack, key);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage().startsWith("this needs the AWS CLI")
                        ? "--stack-name needs the AWS CLI (" + executable + ") on the PATH; or give --api-url" : e.getMessage());
            }
        };
    }

    private static String text(Object value) {
        return value == null || value.toString().isEmpty() ? NOT_SET : value.toString();
    }

    /** An ISO-8601 duration as {@link Duration#toString()} writes it, so {@code P1D} and {@code PT24H} compare equal. */
    private static String duration(String value) {
        if (value == null || value.isBlank()) {
            return NOT_SET;
        }
        try {
            return Duration.parse(value.trim()).toString();
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s*,\\s*"));
    }

    private static String sorted(List<String> values) {
        if (values == null || values.isEmpty()) {
            return NOT_SET;
        }
        return String.join(",", values.stream().sorted().toList());
    }
}
