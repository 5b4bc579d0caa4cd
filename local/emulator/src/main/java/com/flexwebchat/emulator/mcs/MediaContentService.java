package com.flexwebchat.emulator.mcs;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Router;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The Media Content Service as the rest of the emulator sees it: the files ({@link #store()}, which Conversations
 * messages attach by {@code MediaSid}), the REST operations and the media host's pre-signed links
 * ({@link #register}), and uploads for tests. Callers hold the state lock.
 */
public final class MediaContentService {

    private final MediaStore store;
    private final TemporaryUrls temporaryUrls;

    public MediaContentService(EmulatorAccount account, Clock clock) {
        this.store = new MediaStore(account, clock);
        this.temporaryUrls = new TemporaryUrls(clock);
    }

    public MediaStore store() {
        return store;
    }

    public void register(Router router) {
        new MediaApi(store, temporaryUrls).register(router);
    }

    /**
     * Stores a file as an upload to {@code serviceSid} by {@code author} would, and returns it as the upload's
     * answer renders it; an unknown service throws {@link IllegalArgumentException}.
     *
     * @param filename null for none
     */
    public Media upload(String serviceSid, String author, String filename, String contentType, byte[] content) {
        if (!store.hasService(serviceSid)) {
            throw new IllegalArgumentException("MCS serves no service " + serviceSid);
        }
        return store.add(serviceSid, contentType, filename, author, content);
    }

    /** A file as {@code GET /v1/Services/{ChatServiceSid}/Media/{Sid}} answers it, with a fresh temporary link. */
    public Optional<Map<String, Object>> media(String sid) {
        return store.find(sid).map(m -> Json.plainCopy(m.toResource(temporaryUrls.issue(m))));
    }

    /** A file as the answer to its upload renders it. */
    public static Map<String, Object> uploaded(Media media) {
        return Json.plainCopy(media.toResource(null));
    }
}
