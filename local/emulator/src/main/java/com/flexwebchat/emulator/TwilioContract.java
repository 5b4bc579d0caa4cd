package com.flexwebchat.emulator;

import com.flexwebchat.emulator.contract.OpenApiContract;

import java.util.List;
import java.util.Optional;

/**
 * Twilio's REST contract, read from Twilio's OpenAPI specs on the emulator's class path: checks a recorded
 * exchange as {@link TwilioEmulator#contractViolations()} checks every one, for tests that record exchanges of
 * their own. This is the public face of the checker, {@link OpenApiContract}, whose comments give the rules.
 */
public final class TwilioContract {

    private final OpenApiContract contract;

    private TwilioContract(OpenApiContract contract) {
        this.contract = contract;
    }

    /**
     * The contract from the specs on the emulator's class path; read once.
     *
     * @throws IllegalStateException when the specs are not there or one cannot be read: a contract that cannot
     *                               be checked is a failure, never a pass
     */
    public static TwilioContract load() {
        return new TwilioContract(OpenApiContract.load());
    }

    /** Where the specs came from: the npm package, its version and checksum, as the build recorded them. */
    public String source() {
        return contract.source();
    }

    /** The spec operation a recorded request addresses, if any ({@link OpenApiContract#operation}). */
    public Optional<String> operation(RecordedRequest request) {
        return contract.operation(request);
    }

    /** Both checks, with the response body the request recorded. */
    public List<String> check(RecordedRequest request) {
        return contract.check(request);
    }

    /** How a request breaks the contract ({@link OpenApiContract#checkRequest}). */
    public List<String> checkRequest(RecordedRequest r) {
        return contract.checkRequest(r);
    }

    /** How a response breaks the contract ({@link OpenApiContract#checkResponse}). */
    public List<String> checkResponse(RecordedRequest r, String responseBody) {
        return contract.checkResponse(r, responseBody);
    }

    /** Status errata the specs have caught up with ({@link OpenApiContract#staleErrata}). */
    public List<String> staleErrata() {
        return contract.staleErrata();
    }
}
