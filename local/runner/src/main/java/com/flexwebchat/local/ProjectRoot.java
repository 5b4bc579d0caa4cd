package com.flexwebchat.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Objects;

/** The multi-module root: the folder holding template.yaml and mvnw. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    /**
     * {@code maven.multiModuleProjectDirectory} when set (Maven sets it; surefire passes it on
     * when configured to), else the nearest folder from the working directory up that holds
     * {@code mvnw} and {@code template.yaml}, else the same from where this code was loaded
     * ({@code local/runner/target/classes}: {@code ./run-local} may run from any folder), else the
     * working directory.
     */
    public static Path find() {
        String fromMaven = System.getProperty("maven.multiModuleProjectDirectory");
        if (fromMaven != null && isRoot(Path.of(fromMaven))) {
            return Path.of(fromMaven).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        Path root = above(start);
        return root != null ? root : Objects.requireNonNullElse(above(codeLocation()), start);
    }

    private static Path above(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        return null;
    }

    private static Path codeLocation() {
        try {
            CodeSource code = ProjectRoot.class.getProtectionDomain().getCodeSource();
            return code == null ? null : Path.of(code.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("template.yaml"));
    }
}
