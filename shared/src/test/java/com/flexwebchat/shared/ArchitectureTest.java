package com.flexwebchat.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floor plan, checked on the production sources: shared's packages depend on each other
 * without a cycle; the functions make no Twilio call of their own (every one goes through shared's
 * chat, flex or twilio packages); SnapStart priming is known only to its own package.
 */
class ArchitectureTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    static final Pattern PACKAGE = Pattern.compile("^package (com\\.flexwebchat\\.shared(?:\\.[a-z.]+)?);", Pattern.MULTILINE);
    static final Pattern IMPORT = Pattern.compile("^import (?:static )?(com\\.flexwebchat\\.shared(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void sharedPackagesHaveNoCycle() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : javaFiles(ROOT.resolve("shared/src/main/java"))) {
            String source = read(file);
            Matcher pkg = PACKAGE.matcher(source);
            assertTrue(pkg.find(), file.toString());
            Set<String> used = uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                if (!imports.group(1).equals(pkg.group(1))) {
                    used.add(imports.group(1));
                }
            }
        }
        assertTrue(uses.size() >= 12, "shared's packages: " + uses.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            findCycle(start, start, uses, new ArrayList<>(List.of(start)), cycles);
        }
        assertEquals(List.of(), cycles, "package dependencies: " + uses);
    }

    @Test
    void functionsMakeNoTwilioCallOfTheirOwn() {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles(ROOT.resolve("functions"))) {
            if (file.toString().contains("/src/main/") && read(file).contains("import com.twilio.")) {
                offenders.add(ROOT.relativize(file).toString());
            }
        }
        assertEquals(List.of(), offenders, "a function's Twilio call belongs in shared (chat, flex or twilio)");
    }

    @Test
    void onlyTheSnapStartPackageKnowsAboutPriming() {
        List<String> mentions = new ArrayList<>();
        List<Path> production = new ArrayList<>(javaFiles(ROOT.resolve("shared/src/main/java")));
        javaFiles(ROOT.resolve("functions")).stream().filter(f -> f.toString().contains("/src/main/")).forEach(production::add);
        for (Path file : production) {
            if (!file.toString().contains("/shared/snapstart/") && read(file).toLowerCase().matches("(?s).*\\bprim(e|ed|es|ing)\\b.*")) {
                mentions.add(ROOT.relativize(file).toString());
            }
        }
        assertEquals(List.of(), mentions);
    }

    private static void findCycle(String start, String at, Map<String, Set<String>> uses, List<String> path, List<String> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                findCycle(start, next, uses, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
