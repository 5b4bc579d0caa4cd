package com.flexwebchat.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The multi-module root: the folder holding template.yaml and mvnw. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    /**
     * {@code maven.multiModuleProjectDirectory} when set (Maven sets it; surefire passes it on
     * when configured to), else the nearest folder from the working directory up that holds
     * {@code mvnw} and {@code template.yaml}, else the working directory.
     */
    public static Path find() {
        String fromMaven = System.getProperty("maven.multiModuleProjectDirectory");
        if (fromMaven != null && isRoot(Path.of(fromMaven))) {
            return Path.of(fromMaven).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        return start;
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("template.yaml"));
    }
}
