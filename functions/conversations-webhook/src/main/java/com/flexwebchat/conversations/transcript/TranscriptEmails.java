package com.flexwebchat.conversations.transcript;

import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.mail.Mailers;

/**
 * Transcripts by email, put together once per cold start: what {@code POST /email} answers
 * ({@link TranscriptRequests}) and what the end of an opted-in chat sends ({@link TranscriptAtChatEnd}),
 * both through one {@link TranscriptMailer}. Off (null from {@link #of}) when FROM_EMAIL is not set.
 */
public final class TranscriptEmails {

    private final TranscriptRequests requests;
    private final TranscriptAtChatEnd atChatEnd;

    private TranscriptEmails(TranscriptRequests requests, TranscriptAtChatEnd atChatEnd) {
        this.requests = requests;
        this.atChatEnd = atChatEnd;
    }

    /** @return null when the runtime has no mailer (FROM_EMAIL unset): no transcript is ever sent */
    public static TranscriptEmails of(WebChatRuntime runtime, FlexConversations conversations, FlexAgents agents) {
        if (runtime.mailer() == null) {
            return null;
        }
        WebChatConfig config = runtime.config();
        TranscriptMailer mailer = new TranscriptMailer(
                new TranscriptReader(conversations, agents, config.webhooks().defaultAgentName()),
                runtime.media(), runtime.mailer(), Mailers.sender(config.mail()), config.transcripts(),
                config.conversationsServiceSid());
        return new TranscriptEmails(
                new TranscriptRequests(new VisitorTokens(runtime.tokenVerifier()), conversations, runtime.recentChats(),
                        runtime.rateLimits(), runtime.hashes(), config.transcripts(), mailer, runtime.clock()),
                new TranscriptAtChatEnd(conversations, mailer, config.transcripts(), runtime.exactlyOnce(), runtime.rateLimits(),
                        runtime.hashes()));
    }

    public TranscriptRequests requests() {
        return requests;
    }

    public TranscriptAtChatEnd atChatEnd() {
        return atChatEnd;
    }
}
