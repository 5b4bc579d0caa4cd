package com.flexwebchat.emulator.mcs;

import com.flexwebchat.emulator.EmulatorAccount;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files MCS holds, per service: Flex's Conversations service and the legacy Programmable Chat service (media
 * messages of both live in MCS). Conversations looks a message's {@code MediaSid} up here. Callers hold the
 * emulator's state lock.
 */
public final class MediaStore {

    private final EmulatorAccount account;
    private final Clock clock;
    private final Map<String, Media> media = new LinkedHashMap<>();

    MediaStore(EmulatorAccount account, Clock clock) {
        this.account = account;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** Whether MCS serves this service: the account's Conversations service or its Programmable Chat one. */
    boolean hasService(String serviceSid) {
        return account.conversationsServiceSid().equals(serviceSid) || account.chatServiceSid().equals(serviceSid);
    }

    /** Stores a file uploaded to {@code serviceSid} by {@code author} ({@code system} for a REST upload). */
    Media add(String serviceSid, String contentType, String filename, String author, byte[] content) {
        Media file = new Media(account.accountSid(), serviceSid, contentType, filename, author, content, now());
        media.put(file.sid, file);
        return file;
    }

    /** A file of the service, by SID. */
    public Optional<Media> find(String serviceSid, String sid) {
        return find(sid).filter(m -> m.serviceSid.equals(serviceSid));
    }

    Optional<Media> find(String sid) {
        return Optional.ofNullable(media.get(sid));
    }
}
