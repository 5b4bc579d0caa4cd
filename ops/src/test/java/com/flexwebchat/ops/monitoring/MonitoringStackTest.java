package com.flexwebchat.ops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.flexwebchat.shared.metrics.MetricName;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring in template.yaml (alarms, dashboard, saved queries) against what the code writes:
 * every metric an alarm or a dashboard widget names in the stack's own namespace is a
 * {@link MetricName}, with dimensions the access line carries; the headline metrics are on the
 * dashboard and the ones the alarms need are in an alarm; the dashboard body is JSON; every alarm
 * notifies the topic; the saved queries read this template's log groups.
 *
 * <p>The metric names are collected from the alarms' {@code MetricName} and
 * {@code Metrics[].MetricStat.Metric.MetricName}, the dashboard's metric lines and the
 * {@code MetricName="..."} of its SEARCH expressions, so a misspelt name anywhere fails here
 * instead of drawing an empty graph or an alarm that never fires.
 */
class MonitoringStackTest {

    /** Lambda sets what CloudFormation resolves in {@code !Sub}; they are not template names. */
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /** What an operator looks at first: each must be on the dashboard. */
    private static final Set<MetricName> HEADLINE = EnumSet.of(MetricName.Requests, MetricName.ServerErrors,
            MetricName.ChatsStarted, MetricName.ChatStartFailures, MetricName.TwilioErrors, MetricName.TwilioCalls,
            MetricName.TwilioLatency, MetricName.WebhooksRefused, MetricName.RequestsLimited,
            MetricName.RequestsBlocked, MetricName.CaptchaFailures, MetricName.ColdStarts);

    /** The alarms the issue asks for read these: each must be in some alarm. */
    private static final Set<MetricName> ALARMED = EnumSet.of(MetricName.Requests, MetricName.ServerErrors,
            MetricName.ChatsStarted, MetricName.ChatStartFailures, MetricName.TwilioErrors, MetricName.TwilioCalls,
            MetricName.TwilioLatency, MetricName.WebhooksRefused, MetricName.RequestsLimited,
            MetricName.RequestsBlocked, MetricName.CaptchaFailures);

    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{(!?)([^}]*)}");
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\(\\s*'([^']*)'");
    private static final Pattern SEARCH_SCHEMA = Pattern.compile("^\\s*\\{([^}]*)}");
    private static final Pattern SEARCH_METRIC_NAME = Pattern.compile("MetricName\\s*=\\s*\"?([A-Za-z0-9_]+)\"?");
    /** Metric math ids start with a lower-case letter; its functions (IF, FILL, SEARCH) are upper case. */
    private static final Pattern MATH_ID = Pattern.compile("(?<![A-Za-z0-9_'\"])[a-z][A-Za-z0-9_]*(?![A-Za-z0-9_(])");

    private static JsonNode template;
    private static JsonNode resources;
    private static String ownNamespace;
    private static JsonNode dashboard;

    /** A metric named in the stack's own namespace, with its dimension names, and where. */
    private record MetricUse(String name, Set<String> dimensions, String where) {
    }

    @BeforeAll
    static void load() throws IOException {
        Path file = Path.of(System.getProperty("project.root", "../..")).resolve("template.yaml");
        try (Reader reader = Files.newBufferedReader(file)) {
            template = readYaml(reader);
        }
        resources = template.path("Resources");
        JsonNode namespace = template.path("Globals").path("Function").path("Environment").path("Variables")
                .path("METRICS_NAMESPACE");
        assertEquals("FlexWebChat/${AWS::StackName}", namespace.path("Fn::Sub").asText(null),
                "Globals sets METRICS_NAMESPACE to !Sub FlexWebChat/${AWS::StackName}, one namespace per stack");
        ownNamespace = substitute("FlexWebChat/${AWS::StackName}", "METRICS_NAMESPACE");
        List<String> dashboards = ofType("AWS::CloudWatch::Dashboard");
        assertEquals(1, dashboards.size(), "one dashboard: " + dashboards);
        JsonNode body = resources.path(dashboards.get(0)).path("Properties").path("DashboardBody");
        String text = body.has("Fn::Sub") ? body.get("Fn::Sub").asText() : body.asText();
        try {
            dashboard = new ObjectMapper().readTree(substitute(text, "DashboardBody"));
        } catch (IOException e) {
            throw new AssertionError("DashboardBody is not JSON once ${...} are substituted: " + e.getMessage(), e);
        }
    }

    @Test
    void everyMetricAnAlarmOrAWidgetNamesInTheStacksNamespaceIsOneTheCodeEmitsWithItsDimensions() {
        List<MetricUse> uses = new ArrayList<>(alarmMetrics());
        uses.addAll(dashboardMetrics());
        assertFalse(uses.isEmpty(), "no metric of " + ownNamespace + " found in the alarms or the dashboard");
        Set<String> known = Arrays.stream(MetricName.values()).map(Enum::name).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (MetricUse use : uses) {
            if (!known.contains(use.name())) {
                problems.add(use.where() + ": " + use.name() + " is not a MetricName");
                continue;
            }
            if (!allowedDimensions(MetricName.valueOf(use.name())).contains(use.dimensions())) {
                problems.add(use.where() + ": " + use.name() + " has no dimension set " + use.dimensions()
                        + " (it has " + allowedDimensions(MetricName.valueOf(use.name())) + ")");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theHeadlineMetricsAreOnTheDashboardAndTheOnesTheAlarmsNeedAreInAnAlarm() {
        Set<String> onDashboard = dashboardMetrics().stream().map(MetricUse::name).collect(Collectors.toSet());
        Set<String> inAlarms = alarmMetrics().stream().map(MetricUse::name).collect(Collectors.toSet());
        Set<String> missingFromDashboard = new TreeSet<>();
        HEADLINE.forEach(metric -> {
            if (!onDashboard.contains(metric.name())) {
                missingFromDashboard.add(metric.name());
            }
        });
        Set<String> missingFromAlarms = new TreeSet<>();
        ALARMED.forEach(metric -> {
            if (!inAlarms.contains(metric.name())) {
                missingFromAlarms.add(metric.name());
            }
        });
        assertEquals(Set.of(), missingFromDashboard, "headline metrics the dashboard does not show");
        assertEquals(Set.of(), missingFromAlarms, "metrics no alarm watches");
    }

    @Test
    void everyNamespaceOfOursIsTheOneTheFunctionsWriteTo() {
        List<String> problems = new ArrayList<>();
        for (String id : ofType("AWS::CloudWatch::Alarm")) {
            for (JsonNode metric : alarmMetricNodes(id)) {
                String namespace = namespace(metric.path("Namespace"), id);
                if (namespace.startsWith("FlexWebChat") && !namespace.equals(ownNamespace)) {
                    problems.add(id + ": namespace " + namespace + " is not " + ownNamespace);
                }
            }
        }
        for (JsonNode widget : dashboard.path("widgets")) {
            for (JsonNode line : widget.path("properties").path("metrics")) {
                String first = line.path(0).isTextual() ? line.path(0).asText() : "";
                if (first.startsWith("FlexWebChat") && !first.equals(ownNamespace)) {
                    problems.add(title(widget) + ": namespace " + first + " is not " + ownNamespace);
                }
                searchQueries(line).forEach(query -> {
                    String namespace = searchSchema(query, title(widget)).get(0);
                    if (namespace.startsWith("FlexWebChat") && !namespace.equals(ownNamespace)) {
                        problems.add(title(widget) + ": SEARCH namespace " + namespace + " is not " + ownNamespace);
                    }
                });
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theDashboardIsAGridOfWidgetsWithARegionAndItsAlarmWidgetShowsEveryAlarm() {
        JsonNode widgets = dashboard.path("widgets");
        assertTrue(widgets.isArray() && widgets.size() > 0, "the dashboard has widgets");
        List<int[]> cells = new ArrayList<>();
        Set<String> shownAlarms = new LinkedHashSet<>();
        for (JsonNode widget : widgets) {
            int x = widget.path("x").asInt(-1);
            int y = widget.path("y").asInt(-1);
            int width = widget.path("width").asInt(-1);
            int height = widget.path("height").asInt(-1);
            assertTrue(x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= 24,
                    title(widget) + ": placed within the 24-column grid");
            for (int[] other : cells) {
                boolean overlaps = x < other[0] + other[2] && other[0] < x + width
                        && y < other[1] + other[3] && other[1] < y + height;
                assertFalse(overlaps, title(widget) + " overlaps another widget");
            }
            cells.add(new int[] {x, y, width, height});
            String type = widget.path("type").asText();
            if (type.equals("metric")) {
                assertEquals("@AWS::Region@", widget.path("properties").path("region").asText(),
                        title(widget) + ": a metric widget names the stack's Region");
            } else if (type.equals("alarm")) {
                widget.path("properties").path("alarms").forEach(arn -> shownAlarms.add(arn.asText()));
            }
        }
        Set<String> alarms = ofType("AWS::CloudWatch::Alarm").stream().map(id -> "@" + id + ".Arn@")
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(new TreeSet<>(alarms), new TreeSet<>(shownAlarms), "the alarm widget shows every alarm, by its Arn");
        assertTrue(widgets.get(0).path("properties").path("metrics").toString().contains("\"ChatsStarted\""),
                "the first widget answers whether chats are starting");
    }

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItClears() {
        List<String> alarms = ofType("AWS::CloudWatch::Alarm");
        assertTrue(alarms.size() >= 9, "the alarms the issue asks for: " + alarms);
        for (String id : alarms) {
            JsonNode properties = resources.path(id).path("Properties");
            for (String actions : List.of("AlarmActions", "OKActions")) {
                JsonNode list = properties.path(actions);
                assertEquals(1, list.size(), id + "." + actions + " names the topic");
                String topic = list.get(0).path("Ref").asText(null);
                assertEquals("AWS::SNS::Topic", resources.path(String.valueOf(topic)).path("Type").asText(),
                        id + "." + actions + " is !Ref to this template's SNS topic");
            }
            assertTrue(properties.path("AlarmDescription").isTextual(), id + " says what to do (AlarmDescription)");
            assertEquals("notBreaching", properties.path("TreatMissingData").asText(),
                    id + ": no traffic is no alarm");
        }
    }

    @Test
    void everyMetricMathAlarmReturnsOneSeriesFromIdsItDefines() {
        for (String id : ofType("AWS::CloudWatch::Alarm")) {
            JsonNode metrics = resources.path(id).path("Properties").path("Metrics");
            if (metrics.isMissingNode()) {
                continue;
            }
            Set<String> ids = new LinkedHashSet<>();
            int returned = 0;
            Set<Integer> periods = new LinkedHashSet<>();
            for (JsonNode query : metrics) {
                assertTrue(ids.add(query.path("Id").asText()), id + ": Id " + query.path("Id") + " twice");
                returned += query.path("ReturnData").asBoolean(true) ? 1 : 0;
                if (query.has("MetricStat")) {
                    periods.add(query.path("MetricStat").path("Period").asInt());
                }
            }
            assertEquals(1, returned, id + ": exactly one query has ReturnData true");
            assertEquals(1, periods.size(), id + ": its metrics share one period");
            for (JsonNode query : metrics) {
                if (!query.has("Expression")) {
                    continue;
                }
                Matcher matcher = MATH_ID.matcher(query.path("Expression").asText());
                while (matcher.find()) {
                    assertTrue(ids.contains(matcher.group()), id + ": the expression "
                            + query.path("Expression").asText() + " names " + matcher.group() + ", which is no Id");
                }
            }
        }
    }

    @Test
    void theSavedQueriesReadOnlyThisTemplatesLogGroupsAndTheConversationQueryReadsEveryFunctions() {
        List<String> queries = ofType("AWS::Logs::QueryDefinition");
        assertTrue(queries.size() >= 5, "the saved queries: " + queries);
        Set<String> functionGroups = new TreeSet<>();
        for (String function : ofType("AWS::Serverless::Function")) {
            String group = resources.path(function).path("Properties").path("LoggingConfig").path("LogGroup")
                    .path("Ref").asText(null);
            assertEquals("AWS::Logs::LogGroup", resources.path(String.valueOf(group)).path("Type").asText(),
                    function + " logs to a log group of this template");
            functionGroups.add(group);
        }
        Map<String, Set<String>> read = new LinkedHashMap<>();
        for (String id : queries) {
            JsonNode properties = resources.path(id).path("Properties");
            assertTrue(properties.path("QueryString").isTextual() && !properties.path("QueryString").asText().isBlank(),
                    id + " has a query");
            JsonNode groups = properties.path("LogGroupNames");
            assertTrue(groups.isArray() && groups.size() > 0, id + " names its log groups");
            Set<String> names = new TreeSet<>();
            for (JsonNode group : groups) {
                String ref = group.path("Ref").asText(null);
                assertEquals("AWS::Logs::LogGroup", resources.path(String.valueOf(ref)).path("Type").asText(),
                        id + ": " + group + " is !Ref to a log group of this template");
                names.add(ref);
            }
            read.put(id, names);
        }
        List<String> wholeConversation = read.entrySet().stream()
                .filter(entry -> resources.path(entry.getKey()).path("Properties").path("QueryString").asText()
                        .contains("conversationSid ="))
                .filter(entry -> entry.getValue().equals(functionGroups))
                .map(Map.Entry::getKey)
                .toList();
        assertFalse(wholeConversation.isEmpty(),
                "a query filters on conversationSid over every function's log group " + functionGroups + ": " + read);
    }

    // ------------------------------------------------------------------------------------ metrics

    /** The dimension sets the access line declares (the spec, and MetricName's javadoc). */
    private static Set<Set<String>> allowedDimensions(MetricName metric) {
        Set<Set<String>> sets = new LinkedHashSet<>(List.of(Set.of(), Set.of("Route")));
        if (metric == MetricName.Requests) {
            sets.add(Set.of("Route", "Outcome"));
        }
        if (metric == MetricName.ChatsEnded) {
            sets.add(Set.of("EndedBy"));
        }
        return sets;
    }

    private static List<MetricUse> alarmMetrics() {
        List<MetricUse> uses = new ArrayList<>();
        for (String id : ofType("AWS::CloudWatch::Alarm")) {
            for (JsonNode metric : alarmMetricNodes(id)) {
                if (!namespace(metric.path("Namespace"), id).equals(ownNamespace)) {
                    continue;
                }
                Set<String> dimensions = new TreeSet<>();
                metric.path("Dimensions").forEach(dimension -> dimensions.add(dimension.path("Name").asText()));
                uses.add(new MetricUse(metric.path("MetricName").asText(), dimensions, "alarm " + id));
            }
        }
        return uses;
    }

    /** The alarm itself for a single-metric alarm, else each {@code Metrics[].MetricStat.Metric}. */
    private static List<JsonNode> alarmMetricNodes(String id) {
        JsonNode properties = resources.path(id).path("Properties");
        List<JsonNode> nodes = new ArrayList<>();
        if (properties.has("MetricName")) {
            nodes.add(properties);
        }
        properties.path("Metrics").forEach(query -> {
            if (query.has("MetricStat")) {
                nodes.add(query.path("MetricStat").path("Metric"));
            }
        });
        assertFalse(nodes.isEmpty(), id + " watches no metric");
        return nodes;
    }

    private static List<MetricUse> dashboardMetrics() {
        List<MetricUse> uses = new ArrayList<>();
        for (JsonNode widget : dashboard.path("widgets")) {
            String where = "widget \"" + title(widget) + "\"";
            for (JsonNode line : widget.path("properties").path("metrics")) {
                assertTrue(line.isArray() && line.size() > 0, where + ": a metric line is an array");
                if (line.get(0).isTextual()) {
                    List<String> parts = new ArrayList<>();
                    line.forEach(part -> {
                        if (part.isTextual()) {
                            parts.add(part.asText());
                        }
                    });
                    assertTrue(parts.size() >= 2 && parts.size() % 2 == 0 && !parts.contains(".") && !parts.contains(".."),
                            where + ": each metric line is namespace, name, then dimension name/value pairs, written out"
                                    + " (no \".\" shorthand): " + line);
                    if (!parts.get(0).equals(ownNamespace)) {
                        continue;
                    }
                    Set<String> dimensions = new TreeSet<>();
                    for (int i = 2; i < parts.size(); i += 2) {
                        dimensions.add(parts.get(i));
                    }
                    uses.add(new MetricUse(parts.get(1), dimensions, where));
                }
                for (String query : searchQueries(line)) {
                    List<String> schema = searchSchema(query, where);
                    if (!schema.get(0).equals(ownNamespace)) {
                        continue;
                    }
                    Matcher name = SEARCH_METRIC_NAME.matcher(query);
                    assertTrue(name.find(), where + ": a SEARCH of our namespace names its MetricName=\"...\": " + query);
                    String metric = name.group(1);
                    assertFalse(name.find(), where + ": one MetricName per SEARCH: " + query);
                    uses.add(new MetricUse(metric, new TreeSet<>(schema.subList(1, schema.size())), where + " SEARCH"));
                }
            }
        }
        return uses;
    }

    /** The quoted queries of the SEARCH expressions of a metric line ({@code [{"expression": ...}]}). */
    private static List<String> searchQueries(JsonNode line) {
        List<String> queries = new ArrayList<>();
        line.forEach(part -> {
            if (part.isObject() && part.has("expression")) {
                Matcher search = SEARCH.matcher(part.get("expression").asText());
                while (search.find()) {
                    queries.add(search.group(1));
                }
            }
        });
        return queries;
    }

    /** {@code {"Namespace",Dim1,Dim2}}: the namespace, then the dimension names, quotes removed. */
    private static List<String> searchSchema(String query, String where) {
        Matcher schema = SEARCH_SCHEMA.matcher(query);
        assertTrue(schema.find(), where + ": the SEARCH names its schema {Namespace,Dimensions...}: " + query);
        List<String> parts = new ArrayList<>();
        for (String part : schema.group(1).split(",")) {
            parts.add(part.trim().replaceAll("^\"|\"$", ""));
        }
        return parts;
    }

    private static String namespace(JsonNode node, String where) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Fn::Sub") && node.get("Fn::Sub").isTextual()) {
            return substitute(node.get("Fn::Sub").asText(), where);
        }
        fail(where + ": a namespace is a literal or a !Sub string: " + node);
        return null;
    }

    private static String title(JsonNode widget) {
        return widget.path("properties").path("title").asText(widget.path("type").asText());
    }

    // ------------------------------------------------------------------------------------ template

    private static List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        });
        return ids;
    }

    /**
     * {@code Fn::Sub}'s string form with each {@code ${Name}} or {@code ${Resource.Attribute}} as
     * {@code @Name@} (after checking the template has that name), and {@code ${!Literal}} as
     * {@code ${Literal}}, as CloudFormation writes it.
     */
    private static String substitute(String text, String where) {
        Matcher matcher = SUB_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = "${" + matcher.group(2) + "}";
            } else {
                String name = matcher.group(2);
                String base = name.contains(".") && !name.startsWith("AWS::") ? name.substring(0, name.indexOf('.')) : name;
                assertTrue(PSEUDO_PARAMETERS.contains(name) || resources.has(base) || template.path("Parameters").has(base),
                        where + ": ${" + name + "} names nothing in the template");
                replacement = "@" + name + "@";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * template.yaml as a tree, CloudFormation's short-form tags in their long form
     * ({@code !Ref X} as {@code {"Ref": "X"}}, {@code !Sub s} as {@code {"Fn::Sub": s}}): Jackson's
     * YAML tree model would drop the tags. As the harness's SamTemplate reads it.
     */
    private static JsonNode readYaml(Reader reader) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(reader)) {
            return value(parser, parser.nextToken());
        }
    }

    private static JsonNode value(YAMLParser parser, JsonToken token) throws IOException {
        String tag = parser.getTypeId();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode node = switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(parser, next));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> nodes.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IOException("Unexpected YAML token " + token + " at " + parser.currentLocation());
        };
        // Jackson gives a local tag without its "!" (and YAML's own as tag:yaml.org,2002:...).
        String name = tag == null ? "" : tag.startsWith("!") ? tag.substring(1) : tag;
        if (name.isEmpty() || name.startsWith("tag:yaml.org,2002:") || name.startsWith("!")) {
            return node;
        }
        if (name.equals("GetAtt") && node.isTextual()) {
            String[] parts = node.asText().split("\\.", 2);
            ArrayNode pair = nodes.arrayNode();
            Arrays.stream(parts).forEach(pair::add);
            node = pair;
        }
        ObjectNode wrapped = nodes.objectNode();
        wrapped.set(name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name, node);
        return wrapped;
    }
}
