package com.flexwebchat.local;

import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.twilio.TwilioGateway;
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
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ./run-local wire}: connects a Twilio account to a deployed stack. Reads what is set now,
 * prints every change it would make, and (without {@code --dry-run}) makes only those; running
 * it again changes nothing.
 * <ul>
 *   <li>the Flex Conversations service's pre- and post-event webhook URLs, method and filters;</li>
 *   <li>the TaskRouter workspace's Event Callback URL and event filter;</li>
 *   <li>the account's default closed (and inactive) timer for conversations (CLOSE_AFTER,
 *       INACTIVE_AFTER), the backstop for chats nobody ends.</li>
 * </ul>
 * The API URL is given ({@code --api-url https://...}) or read from a CloudFormation stack's
 * {@code ApiUrl} output ({@code --stack-name NAME}, through the AWS CLI). Twilio credentials come
 * from the environment or .env, like {@code ./run-local}.
 */
public final class TwilioWiring {

    static final List<String> CONVERSATIONS_EVENTS = List.of("onMessageAdd", "onMessageUpdate", "onParticipantAdded");
    static final String TASKROUTER_EVENTS = "task.canceled,task.completed,task.wrapup";

    /** One setting: what it is now and what the stack needs. */
    record Change(String setting, String current, String desired) {
        boolean needed() {
            return !Objects.equals(current, desired);
        }
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

    /** The API's base URL, which must be https: Twilio will sign requests to it and send chats' content. */
    static URI apiUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--api-url is not a URL: " + value);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--api-url must be an https URL (Twilio sends chats' content there): " + value);
        }
        return uri;
    }

    /** What the account has now against what the stack at {@code api} needs. */
    List<Change> plan(URI api) {
        List<Change> changes = new ArrayList<>();
        String conversationsUrl = api + "/webhooks/conversations";
        Webhook webhooks = twilio.call("read the Conversations service webhooks",
                client -> new WebhookFetcher(conversationsServiceSid).fetch(client));
        changes.add(new Change("Conversations service pre-event URL", text(webhooks.getPreWebhookUrl()), conversationsUrl));
        changes.add(new Change("Conversations service post-event URL", text(webhooks.getPostWebhookUrl()), conversationsUrl));
        changes.add(new Change("Conversations service webhook method", text(webhooks.getMethod()), "POST"));
        changes.add(new Change("Conversations service webhook filters", sorted(webhooks.getFilters()),
                sorted(CONVERSATIONS_EVENTS)));

        Workspace workspace = twilio.call("read the TaskRouter workspace", client -> new WorkspaceFetcher(workspaceSid).fetch(client));
        changes.add(new Change("TaskRouter Event Callback URL", text(workspace.getEventCallbackUrl()), api + "/webhooks/taskrouter"));
        changes.add(new Change("TaskRouter event filter", sorted(split(workspace.getEventsFilter())),
                sorted(split(TASKROUTER_EVENTS))));

        Configuration defaults = twilio.call("read the Conversations defaults", client -> new ConfigurationFetcher().fetch(client));
        changes.add(new Change("Conversations default closed timer", text(defaults.getDefaultClosedTimer()),
                endings.closeAfter().toString()));
        if (endings.inactiveAfter() != null) {
            changes.add(new Change("Conversations default inactive timer", text(defaults.getDefaultInactiveTimer()),
                    endings.inactiveAfter().toString()));
        }
        return changes;
    }

    /** Makes the needed changes, one Twilio update per resource that has any. */
    void apply(URI api, List<Change> changes) {
        if (changes.stream().anyMatch(c -> c.needed() && c.setting().startsWith("Conversations service"))) {
            String url = api + "/webhooks/conversations";
            twilio.call("set the Conversations service webhooks", client -> new WebhookUpdater(conversationsServiceSid)
                    .setPreWebhookUrl(url).setPostWebhookUrl(url).setMethod("POST").setFilters(CONVERSATIONS_EVENTS)
                    .update(client));
        }
        if (changes.stream().anyMatch(c -> c.needed() && c.setting().startsWith("TaskRouter"))) {
            twilio.call("set the TaskRouter event callback", client -> new WorkspaceUpdater(workspaceSid)
                    .setEventCallbackUrl(api + "/webhooks/taskrouter").setEventsFilter(TASKROUTER_EVENTS).update(client));
        }
        if (changes.stream().anyMatch(c -> c.needed() && c.setting().startsWith("Conversations default"))) {
            twilio.call("set the Conversations default timers", client -> {
                ConfigurationUpdater updater = new ConfigurationUpdater().setDefaultClosedTimer(endings.closeAfter().toString());
                if (endings.inactiveAfter() != null) {
                    updater.setDefaultInactiveTimer(endings.inactiveAfter().toString());
                }
                return updater.update(client);
            });
        }
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        String apiUrl = null;
        String stack = null;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--api-url" -> apiUrl = i + 1 < args.length ? args[++i] : null;
                case "--stack-name" -> stack = i + 1 < args.length ? args[++i] : null;
                case "--dry-run" -> dryRun = true;
                default -> {
                    System.err.println("usage: ./run-local wire (--api-url https://... | --stack-name NAME) [--dry-run]");
                    System.exit(2);
                }
            }
        }
        try {
            if (apiUrl == null && stack == null) {
                throw new IllegalArgumentException("give --api-url https://... or --stack-name NAME");
            }
            URI api = apiUrl(apiUrl != null ? apiUrl : stackOutput(stack, "ApiUrl"));
            Map<String, String> settings = LocalSettings.merge(System.getenv(), DotEnv.read(Path.of(".env")));
            TwilioWiring wiring = from(WebChatConfig.from(settings, arn -> {
                throw new ConfigException("./run-local wire reads AUTH_TOKEN from the environment or .env, not from Secrets Manager");
            }));
            List<Change> changes = wiring.plan(api);
            print(out, api, changes, dryRun);
            if (!dryRun && changes.stream().anyMatch(Change::needed)) {
                wiring.apply(api, changes);
                out.println("Done.");
            }
        } catch (RuntimeException e) {
            System.err.println("./run-local wire: " + e.getMessage());
            System.exit(1);
        }
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

    /** A stack output through the AWS CLI, which has the user's credentials and Region. */
    static String stackOutput(String stack, String key) {
        ProcessBuilder aws = new ProcessBuilder("aws", "cloudformation", "describe-stacks", "--stack-name", stack,
                "--query", "Stacks[0].Outputs[?OutputKey=='" + key + "'].OutputValue", "--output", "text")
                .redirectErrorStream(true);
        try {
            Process process = aws.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    || process.exitValue() != 0 || output.isEmpty() || "None".equals(output)) {
                throw new IllegalArgumentException("could not read the " + key + " output of stack " + stack + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalArgumentException("--stack-name needs the AWS CLI (aws) on the PATH; or give --api-url", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isEmpty() ? "(not set)" : value.toString();
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"));
    }

    private static String sorted(List<String> values) {
        if (values == null || values.isEmpty()) {
            return "(not set)";
        }
        return String.join(",", values.stream().sorted().toList());
    }
}
