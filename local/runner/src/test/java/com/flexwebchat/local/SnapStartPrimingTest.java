package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.snapstart.Priming;
import com.flexwebchat.shared.snapstart.SnapStart;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function of template.yaml, in both web chat modes and with the store as deployed, primed as
 * SnapStart would prime it: each of its events answered from the recordings (none missing, every
 * answer a success), nothing written to Twilio or to the store, and one real read of each. A route
 * that gains a Twilio call without a recording fails here.
 */
class SnapStartPrimingTest {

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().withStore();

    static Stream<Arguments> functions() {
        return SamTemplate.load(ProjectRoot.find().resolve("template.yaml")).functions().stream()
                .filter(function -> !function.routes().isEmpty())
                .flatMap(function -> Stream.of(Arguments.of(function.logicalId(), function.handler(), false),
                        Arguments.of(function.logicalId(), function.handler(), true)));
    }

    @ParameterizedTest(name = "{0}, legacy mode {2}")
    @MethodSource("functions")
    void primingRunsEveryEventOnRecordedAnswersAndWritesNothing(String function, String handler, boolean legacy)
            throws Exception {
        TwilioEmulator emulator = twilio.emulator();
        Map<String, String> env = legacy ? EmulatedTwilio.legacyEnvironment(emulator) : EmulatedTwilio.environment(emulator);
        env.put("TASKROUTER_WORKSPACE_SID", EmulatorAccount.defaults().taskrouterWorkspaceSid());
        env.putAll(EmulatedTwilio.dynamo().environment());
        env.put("FROM_EMAIL", "transcripts@example.com"); // as the template gives the Conversations function; no email is sent
        EmulatedTwilio.dynamo().clear();
        WebChatRuntime runtime = EmulatedTwilio.runtime(env, Clock.systemUTC());
        Object instance = Class.forName(handler.split("::")[0]).getConstructor(WebChatRuntime.class).newInstance(runtime);
        emulator.clearRequests();

        Priming.Report report = SnapStart.of(instance).orElseThrow().snapshotAndRestore();

        assertNull(report.failure());
        assertTrue(!report.statuses().isEmpty() && report.statuses().values().stream().allMatch(s -> s >= 200 && s < 300),
                function + ": " + report.statuses());
        assertEquals(List.of(), report.unanswered(), "Twilio requests without a recording");
        assertTrue(report.realRead());
        assertTrue(report.storeRead(), "the one real store read was answered");
        assertEquals(List.of(), EmulatedTwilio.dynamo().items(), "priming wrote nothing to the store");
        List<RecordedRequest> reached = emulator.requests();
        assertEquals(1, reached.size(), "only the one real read reaches Twilio: " + reached);
        assertEquals("GET", reached.get(0).method());
    }
}
