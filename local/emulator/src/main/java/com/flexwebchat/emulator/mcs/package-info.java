/**
 * The Media Content Service (MCS, {@code https://mcs.us1.twilio.com/v1}), where Conversations keeps the files of
 * media messages, and the media host its pre-signed links point at: {@link
 * com.flexwebchat.emulator.mcs.MediaContentService} is the product as the rest of the emulator sees it, {@link
 * com.flexwebchat.emulator.mcs.MediaStore} the files that Conversations messages attach. Inside: the resource
 * ({@code Media}), its time-limited links ({@code TemporaryUrls}) and the operations ({@code MediaApi}).
 *
 * <p>MCS is not in Twilio's OpenAPI specs; the contract checker knows its operations from
 * https://www.twilio.com/docs/conversations/api/media-resource (see {@code contract.DocumentedElsewhere}).
 */
package com.flexwebchat.emulator.mcs;
