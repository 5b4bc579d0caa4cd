package com.flexwebchat.emulator.taskrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.flexwebchat.emulator.http.TwilioError;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The subset of TaskRouter's expression language that Flex uses to pick workers (and that {@code ListWorker}'s
 * {@code TargetWorkersExpression} and {@code ListTask}'s {@code EvaluateTaskAttributes} filters take): equality
 * clauses joined by {@code AND}.
 * <pre>
 *   expression := clause (("AND" | "and" | "&amp;&amp;") clause)*
 *   clause     := operand "==" operand
 *   operand    := "string" | 'string' | number | true | false | name(.name)*
 * </pre>
 * A name is a worker field ({@code sid}, {@code friendly_name}, {@code activity_sid}, {@code activity_name}) or a
 * path into the JSON attributes, e.g. {@code routing.skills_level}; a missing one matches nothing. Values compare
 * by JSON type: strings exactly (case-sensitive), numbers numerically. {@code 1==1}, Flex's match-all, works.
 * Anything else ({@code OR}, {@code !=}, {@code HAS}, {@code IN}, parentheses, ...) answers 400 rather than a wrong
 * list.
 *
 * @see <a href="https://www.twilio.com/docs/taskrouter/expression-syntax">TaskRouter expression syntax</a>
 */
final class TargetWorkersExpression {

    private sealed interface Operand permits Literal, Name {
    }

    private record Literal(JsonNode value) implements Operand {
    }

    private record Name(String path) implements Operand {
    }

    private record Clause(Operand left, Operand right) {
    }

    private final List<Clause> clauses;

    private TargetWorkersExpression(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** Parses {@code text}, reporting problems as 400 / 20001 on {@code parameter}. */
    static TargetWorkersExpression parse(String text, String parameter) {
        List<String> tokens = tokenize(text, parameter);
        List<Clause> clauses = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i + 3 > tokens.size()) {
                throw unsupported(parameter, text);
            }
            Operand left = operand(tokens.get(i), parameter, text);
            if (!tokens.get(i + 1).equals("==")) {
                throw unsupported(parameter, text);
            }
            Operand right = operand(tokens.get(i + 2), parameter, text);
            clauses.add(new Clause(left, right));
            i += 3;
            if (i == tokens.size()) {
                return new TargetWorkersExpression(List.copyOf(clauses));
            }
            if (!isAnd(tokens.get(i))) {
                throw unsupported(parameter, text);
            }
            i++;
        }
    }

    /** Whether every clause holds, with names looked up by {@code lookup}. */
    boolean matches(Function<String, Optional<JsonNode>> lookup) {
        for (Clause clause : clauses) {
            Optional<JsonNode> left = value(clause.left(), lookup);
            Optional<JsonNode> right = value(clause.right(), lookup);
            if (left.isEmpty() || right.isEmpty() || !same(left.get(), right.get())) {
                return false;
            }
        }
        return true;
    }

    /** A dotted path into a JSON object, e.g. {@code routing.skills}; empty when any step is missing or null. */
    static Optional<JsonNode> at(JsonNode root, String path) {
        JsonNode node = root;
        for (String step : path.split("\\.", -1)) {
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            node = node.get(step);
        }
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    private static Optional<JsonNode> value(Operand operand, Function<String, Optional<JsonNode>> lookup) {
        return operand instanceof Literal literal ? Optional.of(literal.value()) : lookup.apply(((Name) operand).path());
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.isValueNode() && b.isValueNode() && a.getNodeType() == b.getNodeType() && a.asText().equals(b.asText());
    }

    private static Operand operand(String token, String parameter, String text) {
        char first = token.charAt(0);
        if (first == '"' || first == '\'') {
            return new Literal(TextNode.valueOf(token.substring(1, token.length() - 1)));
        }
        if (token.equals("true") || token.equals("false")) {
            return new Literal(BooleanNode.valueOf(Boolean.parseBoolean(token)));
        }
        if (token.matches("-?\\d+(\\.\\d+)?")) {
            return new Literal(DecimalNode.valueOf(new BigDecimal(token)));
        }
        if (token.matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*") && !isAnd(token)) {
            return new Name(token);
        }
        throw unsupported(parameter, text);
    }

    private static boolean isAnd(String token) {
        return token.equals("AND") || token.equals("and") || token.equals("&&");
    }

    /** Quoted strings, {@code ==}, {@code &&} and runs of anything else but blanks, quotes and operators. */
    private static List<String> tokenize(String text, String parameter) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw TwilioError.invalidParameter(parameter, "unterminated string in " + text);
                }
                tokens.add(text.substring(i, end + 1));
                i = end + 1;
            } else if (text.startsWith("==", i) || text.startsWith("&&", i) || text.startsWith("!=", i)) {
                tokens.add(text.substring(i, i + 2));
                i += 2;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "\"'=&!<>()[],".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                if (i == start) {
                    tokens.add(String.valueOf(text.charAt(i)));
                    i++;
                } else {
                    tokens.add(text.substring(start, i));
                }
            }
        }
        return tokens;
    }

    private static TwilioError unsupported(String parameter, String text) {
        // Twilio's own answer to a malformed expression is undocumented; this is a 400 either way.
        return TwilioError.invalidParameter(parameter, "the emulator understands only name == 'value' clauses"
                + " joined by AND, not: " + text);
    }
}
