/**
 * A local emulator of the Twilio REST API subset our Lambdas use, for tests and development.
 *
 * <p>{@link com.flexwebchat.emulator.TwilioEmulator} serves {@code https://{sub}.twilio.com{path}} at
 * {@code {baseUrl}/{sub}{path}} with in-memory state, Twilio-shaped errors, a request journal and fault injection;
 * {@link com.flexwebchat.emulator.contract.TwilioContract} checks recorded exchanges against Twilio's OpenAPI specs.
 * Playing Twilio, it also sends the Conversations webhooks and the TaskRouter event callbacks configured through
 * the API, signed with the account's auth token ({@link com.flexwebchat.emulator.WebhookDelivery}).
 * Typical test use:
 * <pre>{@code
 * try (TwilioEmulator twilio = TwilioEmulator.start(0)) {
 *     // point the code under test at twilio.baseUrl() with twilio.account()'s credentials ...
 *     assertEquals(List.of(), twilio.contractViolations());
 * }
 * }</pre>
 */
package com.flexwebchat.emulator;
