package com.flexwebchat.webchannel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.StartedChat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.invocation.Concurrently;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
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
 * without a first question it is the only call after the create. Its failure is logged and does
 * not fail the start either: the account's default timer still applies.
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
            chat = chats.start(form.friendlyName(), form.preEngagementData());
        } catch (RuntimeException e) {
            // No chat: the claim and the counts are given back, so a retry goes ahead and a
            // refused CAPTCHA or a Twilio failure does not use up anyone's limit.
            submits.failed(first);
            giveBack(admission.counts());
            throw e;
        }
        Log.put("conversationSid", chat.sid());
        IssuedToken token = tokens.issue(chat.identity());

        // The chat recorded for repeated submits while Twilio gets its opening messages and timers.
        Runnable recordStarted = () -> submits.started(first, new SubmitOnce.Started(chat.sid(), sealed.seal(chat.identity())));
        Runnable openingMessages = () -> postOpeningMessages(chat, form);
        Runnable twilioWork = !chats.hasTimers() ? openingMessages
                : form.query() == null ? () -> startTimers(chat)
                : () -> Concurrently.run(openingMessages, () -> startTimers(chat));
        if (first.key() == null) {
            twilioWork.run(); // no store: nothing to record
        } else {
            Concurrently.run(twilioWork, recordStarted);
        }
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

    private void startTimers(StartedChat chat) {
        try {
            chats.startTimers(chat.sid(), endings.closeAfter(), endings.inactiveAfter());
        } catch (TwilioFailure e) {
            Log.warn("Could not start the conversation's timers; the account's default timer applies",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
        }
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
