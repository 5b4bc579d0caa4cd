package com.flexwebchat.shared.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every use of the twilio-java SDK in production code goes through {@link TwilioGateway}, where every
 * failure is mapped: no code outside {@code shared/twilio} builds or holds a REST client, and none
 * reads a lazily paged {@code ResourceSet} (whose later pages would be fetched outside the call).
 * Checked on the sources of everything deployed or run against Twilio (shared, the functions, ops).
 */
class TwilioUseTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    static final Pattern SDK_RESOURCE = Pattern.compile("^import com\\.twilio\\.(rest|base)\\.", Pattern.MULTILINE);
    static final Pattern OWN_CLIENT = Pattern.compile(
            "import com\\.twilio\\.Twilio;|TwilioRestClient\\.Builder|new TwilioRestClient|Twilio\\.init|import com\\.twilio\\.http\\.TwilioRestClient;");
    static final Pattern LAZY_READ = Pattern.compile("ResourceSet|\\.read\\(\\s*client\\s*\\)|\\.nextPage\\(|\\.getNextPageUrl\\(");

    @Test
    void onlyTheGatewayHoldsTheSdksClientAndEveryReadIsMaterialisedInsideACall() {
        List<Path> production = productionSources();
        assertTrue(production.size() > 40, "sources found: " + production.size());
        List<String> offenders = new ArrayList<>();
        int sdkUsers = 0;
        for (Path file : production) {
            if (file.toString().replace('\\', '/').contains("/shared/twilio/")) {
                continue;
            }
            String source = read(file);
            String name = ROOT.relativize(file).toString();
            if (OWN_CLIENT.matcher(source).find()) {
                offenders.add(name + ": builds or holds a REST client of its own");
            }
            if (LAZY_READ.matcher(source).find()) {
                offenders.add(name + ": reads pages lazily (a ResourceSet); read a page with TwilioGateway.list");
            }
            if (SDK_RESOURCE.matcher(source).find()) {
                sdkUsers++;
                if (!source.contains("TwilioGateway")) {
                    offenders.add(name + ": uses the SDK's resources without the TwilioGateway");
                }
            }
        }
        assertTrue(sdkUsers >= 4, "files using the SDK: " + sdkUsers);
        assertEquals(List.of(), offenders);
    }

    private static List<Path> productionSources() {
        List<Path> files = new ArrayList<>();
        for (String tree : List.of("shared", "functions", "ops")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(tree))) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
