package com.flexwebchat.webchannel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.RecentChats;
import com.flexwebchat.shared.chat.StartedChat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.Webhooks;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.invocation.Concurrently;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.protection.Captcha;
import com.flexwebchat.shared.protection.ClientAddress;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.protection.SubmitOnce;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.SealedValues;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.IssuedToken;
import com.flexwebchat.shared.twilio.TwilioFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /initWebchat}: validates the pre-engagement form, has Flex create the chat, mints
 * the visitor's token and, when the form carries a first question, posts it and the welcome.
 *
 * <p>The Express server posts those two messages after it has answered. A Lambda cannot: its
 * environment is frozen once the handler returns, so work left running may never finish
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). Everything is
 * done before the answer. The two posts stay sequential because their order is what the
 * visitor and agent read, and a failure of either is logged without failing the chat start:
 * the chat exists and the visitor can type.
 *
 * <p>Chats that take timers (Flex Conversations) get their closed (and inactive) timer, so Twilio
 * closes a chat the visitor walked away from. That update does not depend on the messages, so it
 * runs at the same time as them ({@link Concurrently}) and adds no round trip to the answer;
 * without a first question it is the only call after the create. A chat created at Twilio either
 * gets its closed timer or is closed ({@link #timerOrClose}): a timer update that fails is sent
 * once more when time allows, and if it still fails the chat is closed and the answer is 502
 * (504 when Twilio did not answer), never a 200 for a chat that would not close itself. The
 * create runs with time kept back for that ({@link #AFTER_CREATE}).
 *
 * <p>A create whose answer is lost (no answer, a cut or garbled body, a dropped connection) may
 * still have made the chat. Nothing can find it again: Flex's {@code POST /v2/WebChats} takes no
 * identity, unique name or idempotency key of ours (Twilio's pinned {@code twilio_flex_v2} spec:
 * AddressSid, ChatFriendlyName, CustomerFriendlyName, PreEngagementData, Ui-Version) and answers
 * only the conversation and identity it chose. Such an orphan is harmless: nobody holds its
 * identity's token, no message was posted in it, so no Studio flow ran and no task reached an
 * agent; it is closed by the account's default closed timer, which conversations get when they
 * are created, once {@code ./run-local wire} has set it. The request is answered 504 (502 for an
 * unreadable answer) and its submit given back, so the visitor's retry starts a new chat.
 *
 * <p>Before anything reaches Twilio, the abuse protections: the store's checks at once ({@link
 * #admit}: the block list for the visitor's address and email, one chat per submit, the limits
 * per address and for the whole account), since each is a round trip and a first request after a
 * cold start or a restore pays them in full; then the CAPTCHA, when configured (its token taken
 * out of the form, so it never reaches Flex). A repeat of a submit gets the first one's chat and
 * skips the rest, its CAPTCHA token being spent already. A request refused, or failing before
 * its chat exists, gives its counts back.
 *
 * <p>The chat a submit started is recorded for its repeats with the visitor's identity sealed
 * ({@link SealedValues}): like an address or an email, it is never kept in the clear.
 */
public final class WebChatStarter {

    /**
     * Kept back from the create's time for what must follow it whichever way it went: its closed
     * timer, or its close (it was created), or giving the submit back (it failed), so that neither
     * a chat without a timer nor a claim that blocks the visitor's retry is left for want of time.
     */
    static final Duration AFTER_CREATE = Duration.ofSeconds(2);
    /** Kept back from a timer update's time for closing the chat instead, should the timer fail. */
    static final Duration FOR_THE_CLOSE = Duration.ofSeconds(1);
    /** Kept back from the Twilio calls after the create for the store: the submit recorded or given back. */
    static final Duration AFTER_TWILIO = Duration.ofMillis(300);
    /** Less than this is not worth a second attempt. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(300);

    private final WebChats chats;
    private final AccessTokenIssuer tokens;
    private final WebChatConfig.Endings endings;
    private final Protections settings;
    private final ClientAddress clients;
    private final KeyedHash hashes;
    private final SealedValues sealed;
    private final BlockList blocks;
    private final SubmitOnce submits;
    private final Captcha captcha;
    private final RateLimits limits;
    private final RecentChats recentChats;
    private final boolean hasStore;

    public WebChatStarter(WebChatRuntime runtime) {
        this.chats = runtime.chats();
        this.tokens = runtime.tokenIssuer();
        this.endings = runtime.config().endings();
        this.settings = runtime.config().protections();
        this.clients = runtime.clientAddress();
        this.hashes = runtime.hashes();
        this.sealed = new SealedValues(settings.hashKey());
        this.blocks = runtime.blockList();
        this.submits = runtime.submitOnce();
        this.captcha = runtime.captcha();
        this.limits = runtime.rateLimits();
        this.recentChats = runtime.recentChats();
        this.hasStore = runtime.store() != null;
    }

    public HttpResponse start(HttpRequest request) {
        JsonNode body = request.jsonObject();
        String captchaToken = captcha == null ? null : takeField(body, captcha.field());
        PreEngagementForm form = PreEngagementForm.from(body);
        String ip = clients.of(request);
        // The same client (address and browser) sending the same form: two visitors behind one
        // NAT who type the same thing within seconds are told apart by their browsers, mostly.
        String userAgent = request.header("user-agent");
        String submitKey = hashes.of(KeyedHash.Kind.SUBMIT,
                ip + "\n" + (userAgent == null ? "" : userAgent) + "\n" + canonical(body.path("formData")));

        Admission admission = admit(ip, form.email(), submitKey);
        SubmitOnce.Claim claim = admission.claim();
        if (claim instanceof SubmitOnce.Claim.Repeat repeat) {
            Optional<String> identity = sealed.open(repeat.chat().identity());
            if (identity.isPresent()) {
                Log.put("conversationSid", repeat.chat().chatSid());
                return answer(repeat.chat().chatSid(), tokens.issue(identity.get()));
            }
            Log.warn("The chat of a repeated submit could not be read back (STORE_HASH_KEY changed?); a new chat is started");
            claim = new SubmitOnce.Claim.First(null);
        }
        SubmitOnce.Claim.First first = (SubmitOnce.Claim.First) claim;
        StartedChat chat;
        try {
            if (captcha != null) {
                captcha.verify(captchaToken, ip);
            }
            chat = Deadline.keepingBack(AFTER_CREATE, () -> chats.start(form.friendlyName(), form.preEngagementData()));
        } catch (RuntimeException e) {
            // No chat we know of: the claim and the counts are given back, so a retry goes ahead and
            // a refused CAPTCHA or a Twilio failure does not use up anyone's limit.
            if (e instanceof TwilioFailure failure && failure.outcomeUnknown()) {
                Log.warn("The chat may have been created without its answer reaching us; nothing can find it again"
                                + " (Flex's POST /v2/WebChats takes no key of ours), so it is left to the account's default"
                                + " closed timer (./run-local wire sets it); the visitor's retry starts another",
                        "kind", failure.kind().name(), "twilioStatus", failure.twilioStatus());
            }
            submits.failed(first);
            giveBack(admission.counts());
            throw e;
        }
        Log.put("conversationSid", chat.sid());
        IssuedToken token = tokens.issue(chat.identity());

        // The opening messages beside the timer (or the close); the chat is recorded for repeated
        // submits once it has its timer, so a repeat never gets a chat about to be closed.
        AtomicReference<TwilioFailure> lifetime = new AtomicReference<>();
        // Recorded: the chat for a repeated submit, and the chat this email started, for its transcript (RecentChats).
        Runnable recordStarted = form.email() == null
                ? () -> submits.started(first, new SubmitOnce.Started(chat.sid(), sealed.seal(chat.identity())))
                : () -> Concurrently.run(
                        () -> submits.started(first, new SubmitOnce.Started(chat.sid(), sealed.seal(chat.identity()))),
                        () -> recentChats.remember(form.email(), chat.sid()));
        Runnable timerThenRecord = () -> {
            lifetime.set(timerOrClose(chat));
            if (lifetime.get() == null) {
                recordStarted.run();
            }
        };
        Runnable openingMessages = () -> postOpeningMessages(chat, form);
        Runnable twilioWork = !chats.hasTimers() ? (!hasStore ? openingMessages
                        : () -> Concurrently.run(openingMessages, recordStarted))
                : form.query() == null ? timerThenRecord
                : () -> Concurrently.run(openingMessages, timerThenRecord);
        Deadline.keepingBack(AFTER_TWILIO, twilioWork);
        if (lifetime.get() != null) {
            // The chat is closed (or, if even that failed, left to the account's default timer):
            // the visitor has no chat, so the submit and the counts are given back for the retry.
            submits.failed(first);
            giveBack(admission.counts());
            throw lifetime.get();
        }
        Metrics.count(MetricName.ChatsStarted);
        Log.info("Web chat started", "openingMessage", form.query() != null);
        return answer(chat.sid(), token);
    }

    /** What the store's checks of a submit gave: its claim, and the counts it took. */
    private record Admission(SubmitOnce.Claim claim, List<RateLimits.Counted> counts) {
    }

    /**
     * The store's checks of a new submit, at once, since each is a round trip and none needs
     * another's answer: the block list, the submit's claim and the two limits. Their answers then
     * count in this order: a blocked visitor is refused; a repeated submit gets its chat (its
     * counts given back: a double click counts once); a count over its limit refuses the request
     * (the claim and the other count given back).
     */
    private Admission admit(String ip, String email, String submitKey) {
        if (!hasStore) { // every check is answered without a round trip
            blocks.check(ip, email, null);
            return new Admission(submits.claim(submitKey), List.of());
        }
        AtomicReference<SubmitOnce.Claim> claim = new AtomicReference<>();
        AtomicReference<RuntimeException> claimFailure = new AtomicReference<>();
        List<RateLimits.Counted> counts = new CopyOnWriteArrayList<>();
        RuntimeException refusal = null;
        try {
            Concurrently.run(() -> {
                try {
                    claim.set(submits.claim(submitKey));
                } catch (RuntimeException e) {
                    claimFailure.set(e);
                }
            }, () -> Concurrently.run(() -> blocks.check(ip, email, null), () -> countChat(ip, counts)));
        } catch (RuntimeException e) {
            refusal = e;
        }
        boolean repeat = claim.get() instanceof SubmitOnce.Claim.Repeat;
        boolean blocked = refusal instanceof ApiError error && "blocked".equals(error.code());
        if (refusal != null && (blocked || !repeat)) {
            if (claim.get() instanceof SubmitOnce.Claim.First first) {
                submits.failed(first);
            }
            giveBack(counts);
            throw refusal;
        }
        if (claimFailure.get() != null || repeat) {
            giveBack(counts);
        }
        if (claimFailure.get() != null) {
            throw claimFailure.get();
        }
        return new Admission(claim.get(), List.copyOf(counts));
    }

    /** The chat counted against the client's limit and the account's, at once. */
    private void countChat(String ip, List<RateLimits.Counted> counts) {
        Runnable perAccount = () -> keep(counts, limits.count("chats-per-account", settings.chatsPerAccount(), "account"));
        if (ip == null) {
            perAccount.run();
        } else {
            Concurrently.run(() -> keep(counts, limits.count("chats-per-ip", settings.chatsPerIp(),
                    hashes.of(KeyedHash.Kind.IP, ip))), perAccount);
        }
    }

    private static void keep(List<RateLimits.Counted> counts, RateLimits.Counted counted) {
        if (counted != null) {
            counts.add(counted);
        }
    }

    private void giveBack(List<RateLimits.Counted> counts) {
        counts.forEach(limits::refund);
    }

    private static HttpResponse answer(String chatSid, IssuedToken token) {
        ObjectNode body = Json.object();
        body.put("token", token.jwt());
        body.put("conversationSid", chatSid);
        body.put("expiration", token.expiresAt().toEpochMilli());
        return HttpResponse.ok(body);
    }

    /** Removes {@code formData.<field>} from the body, answering its text (null when absent or not text). */
    private static String takeField(JsonNode body, String field) {
        if (body.path("formData") instanceof ObjectNode form) {
            JsonNode value = form.remove(field);
            return value != null && value.isTextual() ? value.asText() : null;
        }
        return null;
    }

    /** The form with its fields in name order: two submits of one form give one text, whatever order the browser chose. */
    private static String canonical(JsonNode form) {
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : form.properties()) {
            sorted.put(field.getKey(), field.getValue().toString());
        }
        return sorted.toString();
    }

    /** The visitor's first question, then the welcome: in that order, as the transcript reads. */
    private void postOpeningMessages(StartedChat chat, PreEngagementForm form) {
        if (form.query() != null) {
            boolean posted = attempt(() -> chats.postAsVisitor(chat, form.query()), "visitor's first message");
            if (posted) {
                attempt(() -> chats.postAsConcierge(chat.sid(), welcome(form.friendlyName()), null), "welcome message");
            }
        }
    }

    /**
     * The rule for a chat Flex created: it gets its closed timer, or it is closed. A chat that
     * never closes itself stays open at Twilio until someone ends it, and holds the visitor's
     * identity in an open conversation meanwhile; a 200 for it would be work half done.
     * <ul>
     *   <li>The timer update only sets the conversation's timers, so sending it twice is harmless
     *       even when the first did arrive: after a failure whose outcome is unknown (no answer, an
     *       unreadable one, a 5xx) it is sent once more, when the time left allows an attempt and
     *       still keeps {@link #FOR_THE_CLOSE} back. A refusal (any other 4xx) would only be
     *       refused again.</li>
     *   <li>If the timer still cannot be set, the conversation is closed, with webhooks, as its
     *       timer would have closed it (Flex hears it as it hears a timer). A close is as harmless
     *       to repeat (Twilio's 50377: closed already), so it is sent once more the same way.</li>
     *   <li>If even that fails, the chat is left open, and only the account's default closed timer
     *       (which {@code ./run-local wire} sets) closes it; that is logged as an error.</li>
     * </ul>
     *
     * @return null when the timer is set; else the failure to answer with (502, or 504 when
     *         Twilio did not answer), the chat having been closed if at all possible
     */
    private TwilioFailure timerOrClose(StartedChat chat) {
        TwilioFailure failure = tryOnce("set the closed timer", FOR_THE_CLOSE,
                () -> chats.startTimers(chat.sid(), endings.closeAfter(), endings.inactiveAfter()));
        if (failure != null && failure.outcomeUnknown() && timeLeftFor(FOR_THE_CLOSE)) {
            failure = tryOnce("set the closed timer (again)", FOR_THE_CLOSE,
                    () -> chats.startTimers(chat.sid(), endings.closeAfter(), endings.inactiveAfter()));
        }
        if (failure == null) {
            return null;
        }
        TwilioFailure closeFailed = tryOnce("close the chat that has no closed timer", Duration.ZERO,
                () -> chats.close(chat.sid(), Webhooks.ON));
        if (closeFailed != null && closeFailed.outcomeUnknown() && timeLeftFor(Duration.ZERO)) {
            closeFailed = tryOnce("close the chat that has no closed timer (again)", Duration.ZERO,
                    () -> chats.close(chat.sid(), Webhooks.ON));
        }
        if (closeFailed == null) {
            Log.warn("The chat could not get its closed timer, so it was closed; the visitor is answered an error");
        } else {
            Log.error("The chat could not get its closed timer and could not be closed: only the account's default"
                    + " closed timer (./run-local wire sets it) closes it now");
        }
        return failure;
    }

    /** One Twilio call with {@code reserve} (or half the time left, if less) kept back from it; its failure, or null. */
    private static TwilioFailure tryOnce(String what, Duration reserve, Runnable call) {
        try {
            Deadline.keepingBack(reserve, call);
            return null;
        } catch (TwilioFailure e) {
            Log.warn("Could not " + what, "kind", e.kind().name(), "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode());
            return e;
        }
    }

    /** Whether another attempt can have {@link #MIN_ATTEMPT} and still keep {@code reserve} back. */
    private static boolean timeLeftFor(Duration reserve) {
        Deadline deadline = Deadline.current();
        return deadline == null || deadline.remaining().minus(reserve).compareTo(MIN_ATTEMPT) >= 0;
    }

    /** The Express server's welcome, word for word, so transcripts read the same. */
    static String welcome(String friendlyName) {
        return "Welcome " + friendlyName + "! An agent will be with you in just a moment.";
    }

    private static boolean attempt(Runnable post, String what) {
        try {
            post.run();
            return true;
        } catch (TwilioFailure e) {
            Log.warn("Could not post the " + what + "; the chat was started without it",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
            return false;
        }
    }
}
