package com.flexwebchat.local.campaign;

import com.flexwebchat.emulator.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One Twilio call of a route, as a clean run makes it: its method, its path with the SIDs and
 * identities that change from run to run generalised, and which such call it is in the run (the
 * k-th {@code POST .../Messages}). Calls made at the same time (at {@code /initWebchat}, the timers
 * beside the messages) arrive in any order, but the k-th call to one path does not change, so a
 * fault put at a position hits the same call every run.
 *
 * @param method     HTTP method
 * @param pathRegex  the path with SIDs as {@code CH[0-9a-fA-F]{32}} and identities as {@code [^/]+}
 * @param template   the same for people: {@code /conversations/v1/Services/{IS}/Conversations/{CH}/Messages}
 * @param occurrence 1 for the first call to that path in the run
 * @param index      the call's place in the clean run, counted from 1 (for reports)
 */
record FaultPosition(String method, String pathRegex, String template, int occurrence, int index) {

    private static final Pattern SID = Pattern.compile("([A-Z]{2})[0-9a-fA-F]{32}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The positions of every call a clean run made, in the order they arrived. */
    static List<FaultPosition> of(List<RecordedRequest> cleanRun) {
        List<FaultPosition> positions = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (RecordedRequest request : cleanRun) {
            String[] generalised = generalise(request.path());
            int occurrence = seen.merge(request.method() + " " + generalised[0], 1, Integer::sum);
            positions.add(new FaultPosition(request.method(), generalised[0], generalised[1], occurrence, positions.size() + 1));
        }
        return positions;
    }

    /** [regex, template] of a path. */
    static String[] generalise(String path) {
        StringBuilder regex = new StringBuilder();
        StringBuilder template = new StringBuilder();
        String previous = "";
        for (String segment : path.substring(1).split("/", -1)) {
            regex.append('/');
            template.append('/');
            var sid = SID.matcher(segment);
            if (sid.matches()) {
                regex.append(sid.group(1)).append("[0-9a-fA-F]{32}");
                template.append('{').append(sid.group(1)).append('}');
            } else if (previous.equals("Users") || UUID.matcher(segment).matches()) {
                regex.append("[^/]+");
                template.append("{identity}");
            } else {
                regex.append(Pattern.quote(segment));
                template.append(segment);
            }
            previous = segment;
        }
        return new String[] {regex.toString(), template.toString()};
    }

    /** Whether a recorded request is a call at this path (any occurrence). */
    boolean sameCall(RecordedRequest request) {
        return request.method().equals(method) && request.path().matches(pathRegex);
    }

    /** A read of the chat itself ({@code GET .../Conversations/{CH}} or {@code .../Channels/{CH}}): a 404 there says the chat does not exist. */
    boolean readsTheChat() {
        return method.equals("GET") && (template.endsWith("/Conversations/{CH}") || template.endsWith("/Channels/{CH}"));
    }

    /** A write to a resource (a path ending in a SID or identity) sets what it says and can be repeated; a POST to a collection creates. */
    static boolean isIdempotentWrite(RecordedRequest request) {
        String[] segments = request.path().split("/");
        String last = segments[segments.length - 1];
        String before = segments.length > 1 ? segments[segments.length - 2] : "";
        return !"POST".equals(request.method()) || SID.matcher(last).matches() || before.equals("Users");
    }

    @Override
    public String toString() {
        return "call " + index + " " + method + " " + template + (occurrence > 1 ? " #" + occurrence : "");
    }
}
