package com.flexwebchat.studio;

import java.util.Optional;

/** Finds a web chat and its pre-engagement data at Twilio, the way the configured mode stores them. */
interface ChatLookup {

    /** @return the chat, or empty when Twilio has none with that SID */
    Optional<FoundChat> find(String sid);
}
