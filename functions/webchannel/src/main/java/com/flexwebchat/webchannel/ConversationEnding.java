package com.flexwebchat.webchannel;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.Concurrently;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.exception.ApiException;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.ConversationUpdater;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import java.util.Optional;

/**
 * Ends a Flex Conversations web chat the visitor left:
 * <ol>
 *   <li>posts the customer-left notice into the conversation from {@code Concierge}, webhooks
 *       off, so the agent reads why the chat went quiet (it must come first: closing makes the
 *       conversation read-only);</li>
 *   <li>closes the Flex interaction channel ({@link FlexInteractions}), when the chat reached Flex
 *       and TASKROUTER_WORKSPACE_SID names the workspace: an agent who has it wraps up, a task no
 *       agent has accepted goes away. Looking the task up only reads, so it runs at the same time
 *       as the notice;</li>
 *   <li>closes the conversation ({@code State=closed}). Closing the interaction channel "also
 *       closes the underlying media channel" (https://www.twilio.com/docs/api/errors/80906), so
 *       the conversation may be closed already: Twilio's 50377 ("in final closed state") counts
 *       as done.</li>
 * </ol>
 */
final class ConversationEnding implements ChatEnding {

    /** "Conversation ... in final closed state": someone (Flex, a timer) closed it first. */
    static final int ALREADY_CLOSED = 50377;

    private final TwilioGateway twilio;
    private final String conversationsServiceSid;
    private final String customerLeftMessage;
    private final FlexInteractions interactions;

    /** @param interactions null when no TaskRouter workspace is configured: the Flex task is then left to Flex */
    ConversationEnding(TwilioGateway twilio, String conversationsServiceSid, String customerLeftMessage,
                       FlexInteractions interactions) {
        this.twilio = twilio;
        this.conversationsServiceSid = conversationsServiceSid;
        this.customerLeftMessage = customerLeftMessage;
        this.interactions = interactions;
    }

    @Override
    public void end(String conversationSid) {
        if (interactions == null) {
            Log.warn("TASKROUTER_WORKSPACE_SID is not set, so the chat's Flex task is not ended; the agent ends it in Flex");
            postNotice(conversationSid);
        } else {
            Optional<FlexInteractions.Channel> channel =
                    Concurrently.supply(() -> postNotice(conversationSid), () -> interactions.find(conversationSid));
            channel.ifPresent(interactions::close);
        }
        close(conversationSid);
    }

    private void postNotice(String conversationSid) {
        twilio.call("tell the agent the visitor left", client ->
                new MessageCreator(conversationsServiceSid, conversationSid)
                        .setAuthor(FlexConversations.CONCIERGE)
                        .setBody(customerLeftMessage)
                        .create(client));
    }

    private void close(String conversationSid) {
        boolean closedHere = twilio.call("close the conversation", client -> {
            try {
                new ConversationUpdater(conversationsServiceSid, conversationSid)
                        .setState(Conversation.State.CLOSED)
                        .update(client);
                return true;
            } catch (ApiException e) {
                if (e.getCode() != null && e.getCode() == ALREADY_CLOSED) {
                    return false;
                }
                throw e;
            }
        });
        Log.info(closedHere ? "Conversation closed" : "Conversation was closed already");
    }

    @Override
    public void prime() {
        twilio.call("prime the Twilio client", client -> {
            if (interactions != null) {
                interactions.prime(client.getObjectMapper());
            }
            return Conversation.fromJson(Priming.json("{\"sid\":\"CH00000000000000000000000000000000\",\"state\":\"closed\"}"),
                    client.getObjectMapper());
        });
    }
}
