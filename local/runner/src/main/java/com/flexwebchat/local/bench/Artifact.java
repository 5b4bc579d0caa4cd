package com.flexwebchat.local.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A function's deployment package (template.yaml's CodeUri zip): its size and make-up, and the
 * unzipped folder a probe runs from.
 *
 * @param fileName   the zip's file name
 * @param bytes      its size
 * @param jars       the libraries under lib/
 * @param ownClasses the classes at its root: the function's own
 */
public record Artifact(String fileName, long bytes, int jars, int ownClasses) {

    public static Artifact inspect(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " does not exist: build with ./mvnw -DskipTests package first");
        }
        int jars = 0;
        int classes = 0;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("lib/") && name.endsWith(".jar")) {
                    jars++;
                } else if (name.endsWith(".class")) {
                    classes++;
                }
            }
        }
        return new Artifact(zip.getFileName().toString(), Files.size(zip), jars, classes);
    }

    /** The zip unzipped into {@code target}, which is emptied first, as Lambda unzips a package into /var/task. */
    static Path unzip(Path zip, Path target) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " does not exist: build with ./mvnw -DskipTests package first");
        }
        deleteRecursively(target);
        Files.createDirectories(target);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("Entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    /**
     * Jars the files under {@code folder} into {@code jar}, in name order, leaving out paths that
     * start with {@code excludePrefix} (null: none); entries get a fixed time, so the jar is the
     * same for the same files.
     */
    static void jarDirectory(Path folder, Path jar, String excludePrefix) throws IOException {
        java.util.List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (Path file : files) {
                String name = folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (excludePrefix != null && name.startsWith(excludePrefix)) {
                    continue;
                }
                java.util.jar.JarEntry entry = new java.util.jar.JarEntry(name);
                entry.setTime(0L);
                out.putNextEntry(entry);
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
