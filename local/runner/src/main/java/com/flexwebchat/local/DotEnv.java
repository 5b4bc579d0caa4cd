package com.flexwebchat.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code .env} file, read the way the {@code dotenv} package (which twilio-webchat-react-app's
 * Express server uses) reads one, so the same file works here:
 * <ul>
 *   <li>{@code KEY=VALUE}, one per line; blank lines and lines starting with {@code #} are skipped;
 *   <li>an optional {@code export } before the key;
 *   <li>values in single quotes are literal; in double quotes {@code \n}, {@code \r}, {@code \t},
 *       {@code \"} and {@code \\} are unescaped and the value may span lines; in backticks literal;
 *   <li>an unquoted value ends at {@code " #"} (an inline comment) and is trimmed;
 *   <li>no {@code ${VAR}} expansion (dotenv leaves that to dotenv-expand); a later line for the
 *       same key wins.
 * </ul>
 * Lines that are not assignments are reported in {@link #warnings()} and otherwise ignored.
 */
public record DotEnv(Map<String, String> values, List<String> warnings) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    public DotEnv {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        warnings = List.copyOf(warnings);
    }

    public static DotEnv empty() {
        return new DotEnv(Map.of(), List.of());
    }

    /** The file's values, or {@link #empty()} when it does not exist. */
    public static DotEnv read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    public static DotEnv parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? line : line.substring(0, equals).strip();
            if (equals < 0 || !KEY.matcher(key).matches()) {
                warnings.add("line " + lineNumber + ": not KEY=VALUE, ignored");
                continue;
            }
            String rest = line.substring(equals + 1).stripLeading();
            char quote = rest.isEmpty() ? 0 : rest.charAt(0);
            if (quote == '"' || quote == '\'' || quote == '`') {
                // Find the closing quote, reading on into later lines if needed (multi-line values).
                StringBuilder raw = new StringBuilder(rest.substring(1));
                int close = closingQuote(raw, quote);
                int j = i;
                while (close < 0 && j + 1 < lines.length) {
                    j++;
                    raw.append('\n').append(lines[j]);
                    close = closingQuote(raw, quote);
                }
                if (close < 0) {
                    warnings.add("line " + lineNumber + ": " + key + " has no closing " + quote + ", ignored");
                    continue;
                }
                i = j;
                String inner = raw.substring(0, close);
                values.put(key, quote == '"' ? unescape(inner) : inner);
            } else {
                int comment = inlineComment(rest);
                values.put(key, (comment < 0 ? rest : rest.substring(0, comment)).strip());
            }
        }
        return new DotEnv(values, warnings);
    }

    private static int closingQuote(CharSequence text, char quote) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (quote == '"' && c == '\\') {
                k++;
            } else if (c == quote) {
                return k;
            }
        }
        return -1;
    }

    /** Start of a {@code #} comment preceded by whitespace. */
    private static int inlineComment(String value) {
        for (int k = 1; k < value.length(); k++) {
            if (value.charAt(k) == '#' && Character.isWhitespace(value.charAt(k - 1))) {
                return k;
            }
        }
        return value.startsWith("#") ? 0 : -1;
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c != '\\' || k + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char next = value.charAt(++k);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '"', '\\' -> out.append(next);
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }
}
