package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A probe's class-load log, as the JVM writes it with {@link ClassLoadLog#flag}, split at the probe's markers. */
class ClassLoadLogTest {

    @Test
    void splitsAtTheMarkersAndNamesEachLoadsLibrary(@TempDir Path folder) throws Exception {
        Path log = Files.writeString(folder.resolve("class-load.log"), String.join("\n",
                "[9771402ns] java.lang.Object source: shared objects file",
                "[33896547ns] com.amazonaws.services.lambda.runtime.Context source: file:/t/TokenFunction/lib/aws-lambda-java-core-1.4.0.jar",
                "[40000000ns] com.flexwebchat.token.RefreshTokenHandler source: file:/t/TokenFunction/",
                "[50000000ns] com.flexwebchat.local.bench.ColdStartProbe$FirstRequestStarts source: file:/t/probe/",
                "[51000000ns] sun.security.ssl.SSLEngineImpl source: jrt:/java.base",
                "[52000000ns] com.flexwebchat.shared.http.HttpApiPayload source: file:/t/TokenFunction/lib/shared-1.0.0-SNAPSHOT.jar",
                "[53000000ns] jdk.internal.net.http.Exchange$$Lambda/0x000001 source: jdk.internal.net.http.Exchange",
                "[54000000ns] java.lang.String$$StringConcat/0x000002 source: __JVM_LookupDefineClass__",
                "[55000000ns] com.flexwebchat.local.bench.ColdStartProbe$FirstRequestEnds source: file:/t/probe/",
                "[56000000ns] java.util.regex.Pattern source: shared objects file",
                "[57000000ns] not a class-load line"));

        ClassLoadLog.Phases phases = ClassLoadLog.read(log);

        assertEquals(List.of("JDK, from its CDS archive", "aws-lambda-java-core", "classes folder TokenFunction"),
                phases.beforeFirstRequest().stream().map(ClassLoadLog.Load::library).toList());
        assertEquals(50_000_000L, phases.firstRequestStartsNanos());
        assertEquals(List.of("JDK java.base", "shared", "generated (lambdas, method handles)", "generated (lambdas, method handles)"),
                phases.firstRequest().stream().map(ClassLoadLog.Load::library).toList());
        assertEquals("sun.security.ssl.SSLEngineImpl", phases.firstRequest().get(0).name());

        List<InitProfile.Share> shares = InitProfile.shares(phases.firstRequest(), phases.firstRequestStartsNanos());
        assertEquals(new InitProfile.Share("JDK java.base", 1, 1.0), shares.get(0), "charged the time since the marker");
        assertEquals(new InitProfile.Share("generated (lambdas, method handles)", 2, 2.0), shares.get(2));
    }
}
