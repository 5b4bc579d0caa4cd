package com.flexwebchat.shared;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What SnapStart priming works with: an identity no visitor has, and JSON as the SDK reads it. */
public final class Priming {

    /** Never an orchestration identity (those are random), so priming reads find nothing. */
    public static final String IDENTITY = "snapstart-priming";

    private Priming() {
    }

    public static InputStream json(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
