/**
 * A local emulator of the Twilio REST API subset our Lambdas use, for tests and development.
 *
 * <p>{@link com.flexwebchat.emulator.TwilioEmulator} serves {@code https://{sub}.twilio.com{path}} at
 * {@code {baseUrl}/{sub}{path}} with in-memory state, Twilio-shaped errors, a request journal and fault injection;
 * {@link com.flexwebchat.emulator.TwilioContract} checks recorded exchanges against Twilio's OpenAPI specs.
 * Playing Twilio, it also sends the Conversations webhooks and the TaskRouter event callbacks configured through
 * the API, signed with the account's auth token ({@link com.flexwebchat.emulator.WebhookDelivery}).
 * Typical test use:
 * <pre>{@code
 * try (TwilioEmulator twilio = TwilioEmulator.start(0)) {
 *     // point the code under test at twilio.baseUrl() with twilio.account()'s credentials ...
 *     assertEquals(List.of(), twilio.contractViolations());
 * }
 * }</pre>
 *
 * <p>This package is what other modules use: the facade, its main class ({@code TwilioEmulatorMain}), the values
 * it hands out ({@link com.flexwebchat.emulator.EmulatorAccount}, {@link com.flexwebchat.emulator.RecordedRequest},
 * {@link com.flexwebchat.emulator.WebhookDelivery}) and the contract's face ({@code TwilioContract}). The rest, by
 * Twilio product:
 * <ul>
 *   <li>{@code conversations}: Conversations v1, account-level and service-scoped;</li>
 *   <li>{@code chat}: Programmable Chat v2, for legacy Flex web chat;</li>
 *   <li>{@code taskrouter}: Flex's TaskRouter workspace, workers, tasks and event callbacks;</li>
 *   <li>{@code flex}: Flex web chats, web channels and Interactions, on top of the three above;</li>
 *   <li>{@code webhooks}: signed delivery, and the Conversations webhook configuration;</li>
 *   <li>{@code http}: the server and Twilio's REST conventions (routing, errors, paging, SIDs, credentials,
 *       faults, the journal, the state lock);</li>
 *   <li>{@code contract}: the checker against Twilio's OpenAPI specs.</li>
 * </ul>
 * Each product package shows one public class to the others ({@code Conversations}, {@code Chat},
 * {@code TaskRouter}, {@code Flex}); its resources and operations stay package-private.
 */
package com.flexwebchat.emulator;
