import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Build step of the emulator module (run by the pom with {@code java FetchTwilioSpecs.java}): puts the Twilio
 * OpenAPI specs the contract checks need into the emulator's classes, from an npm package pinned by version and by
 * its Subresource Integrity checksum (the {@code integrity} npm prints and locks).
 *
 * <pre>
 * java FetchTwilioSpecs.java PACKAGE@VERSION sha512-BASE64 DIR_IN_PACKAGE OUTPUT_DIR SPEC...
 * </pre>
 *
 * npm downloads the package ({@code npm pack}, from its cache when it has it, from the registry npm is configured
 * for otherwise); this program checks the tarball against the pinned checksum before reading a byte of it,
 * extracts {@code DIR_IN_PACKAGE/SPEC.json} for each SPEC, and writes {@code OUTPUT_DIR/index} naming the package,
 * its checksum and the specs, which the emulator's {@code TwilioContract} reads. When {@code OUTPUT_DIR/index}
 * already says exactly that, nothing is fetched. The JDK alone, so it runs before anything is compiled.
 */
public final class FetchTwilioSpecs {

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            fail("usage: java FetchTwilioSpecs.java PACKAGE@VERSION sha512-BASE64 DIR_IN_PACKAGE OUTPUT_DIR SPEC...");
        }
        String pkg = args[0];
        String integrity = args[1];
        String dirInPackage = args[2].replaceAll("^/+|/+$", "");
        Path output = Path.of(args[3]);
        List<String> specs = List.of(args).subList(4, args.length);

        String index = index(pkg, integrity, specs);
        Path indexFile = output.resolve("index");
        if (Files.isRegularFile(indexFile) && Files.readString(indexFile).equals(index)
                && specs.stream().allMatch(spec -> Files.isRegularFile(output.resolve(spec + ".json")))) {
            System.out.println("Twilio OpenAPI specs from " + pkg + " are in place.");
            return;
        }

        Path scratch = Files.createTempDirectory("twilio-oai-");
        try {
            Path tarball = npmPack(pkg, scratch);
            byte[] bytes = Files.readAllBytes(tarball);
            checkIntegrity(pkg, integrity, bytes);
            Map<String, byte[]> wanted = new LinkedHashMap<>();
            for (String spec : specs) {
                wanted.put("package/" + dirInPackage + "/" + spec + ".json", null);
            }
            extract(bytes, wanted);
            Files.createDirectories(output);
            for (String spec : specs) {
                byte[] content = wanted.get("package/" + dirInPackage + "/" + spec + ".json");
                if (content == null || content.length == 0) {
                    fail(pkg + " has no " + dirInPackage + "/" + spec + ".json; pick a version that carries it, or drop it from the list.");
                }
                Files.write(output.resolve(spec + ".json"), content);
            }
            Files.writeString(indexFile, index);
            System.out.println("Twilio OpenAPI specs from " + pkg + " (" + integrity.substring(0, 20) + "...): "
                    + String.join(", ", specs) + " -> " + output);
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What {@code index} says: the source on the first line, then one spec per line. */
    static String index(String pkg, String integrity, List<String> specs) {
        return "source " + pkg + " " + integrity + "\n" + String.join("\n", specs) + "\n";
    }

    private static Path npmPack(String pkg, Path destination) throws IOException, InterruptedException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> command = new ArrayList<>(List.of(windows ? "npm.cmd" : "npm", "pack", pkg,
                "--pack-destination", destination.toString(), "--prefer-offline", "--silent",
                "--ignore-scripts"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notFound) {
            fail("The emulator's contract tests check every Twilio call against Twilio's OpenAPI specs, which the"
                    + " build takes from the npm package " + pkg + ", but npm is not on the PATH (" + notFound.getMessage()
                    + "). Install Node.js (20 or later) with npm, or build without the tests: ./mvnw package -DskipTests");
            return null;
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("npm pack " + pkg + " did not finish within 5 minutes");
        }
        if (process.exitValue() != 0) {
            fail("npm pack " + pkg + " failed (exit " + process.exitValue() + "):\n" + out);
        }
        try (var files = Files.list(destination)) {
            List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tarballs.size() != 1) {
                fail("npm pack " + pkg + " left " + tarballs + " in " + destination + ":\n" + out);
            }
            return tarballs.get(0);
        }
    }

    /** Subresource Integrity: {@code sha512-} and the Base64 SHA-512 of the bytes, as npm's lock files record it. */
    static void checkIntegrity(String pkg, String integrity, byte[] bytes) throws NoSuchAlgorithmException {
        if (!integrity.startsWith("sha512-")) {
            fail("the pinned checksum of " + pkg + " must be npm's sha512 integrity (sha512-...), got " + integrity);
        }
        String actual = "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        if (!actual.equals(integrity)) {
            fail("the tarball npm gave for " + pkg + " does not match the pinned checksum: expected " + integrity
                    + ", got " + actual + ". Nothing was extracted.");
        }
    }

    /**
     * Fills {@code wanted}'s values with the contents of the tar entries its keys name. A gzip'd tar as npm writes
     * it: 512-byte headers (ustar name and prefix, octal size), data padded to 512, PAX and GNU long-name records.
     */
    static void extract(byte[] tgz, Map<String, byte[]> wanted) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(tgz))) {
            String longName = null;
            byte[] header = new byte[512];
            while (readFully(in, header)) {
                if (allZero(header)) {
                    return;
                }
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                String octalSize = text(header, 124, 12).trim();
                long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
                char type = (char) header[156];
                byte[] data = read(in, size);
                skip(in, (512 - size % 512) % 512);
                if (type == 'L') {
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (type == 'x') {
                    longName = paxPath(data);
                    continue;
                }
                String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                longName = null;
                if ((type == '0' || type == '\0') && wanted.containsKey(path)) {
                    wanted.put(path, data);
                }
            }
        }
    }

    private static String paxPath(byte[] records) {
        String all = new String(records, StandardCharsets.UTF_8);
        for (String record : all.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int read = in.readNBytes(buffer, 0, buffer.length);
        if (read == 0) {
            return false;
        }
        if (read < buffer.length) {
            throw new IOException("truncated tar header");
        }
        return true;
    }

    private static byte[] read(InputStream in, long size) throws IOException {
        if (size > 256L * 1024 * 1024) {
            throw new IOException("tar entry of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new IOException("truncated tar entry");
        }
        return data;
    }

    private static void skip(InputStream in, long n) throws IOException {
        if (in.readNBytes((int) n).length < n) {
            throw new IOException("truncated tar padding");
        }
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static void fail(String message) {
        System.err.println("FetchTwilioSpecs: " + message);
        System.exit(1);
    }
}
