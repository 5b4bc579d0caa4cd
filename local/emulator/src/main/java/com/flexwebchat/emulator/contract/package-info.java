/**
 * The contract checker: Twilio's OpenAPI specs ({@code twilio-oai/} on the class path, put there by the build),
 * and {@link com.flexwebchat.emulator.contract.OpenApiContract}, which checks recorded exchanges against them
 * (other modules see it as {@link com.flexwebchat.emulator.TwilioContract}). {@code SpecOperation} is one
 * operation of a spec; {@code SchemaValidator} validates values against the OpenAPI 3.0 schema subset Twilio's
 * specs use, stricter than JSON Schema's defaults where Twilio is (every property of a resource must be there, no
 * other may be). {@code DocumentedElsewhere} lists the operations Twilio documents outside its specs (the Media
 * Content Service), each with its page, and checks them against what the docs say.
 */
package com.flexwebchat.emulator.contract;
