package com.flexwebchat.shared.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/** API Gateway events from a given client: what {@code requestContext.http.sourceIp} says connected. */
public final class ClientEvents {

    private ClientEvents() {
    }

    /**
     * {@code event} as API Gateway delivers it for a client connecting from {@code sourceIp} (the
     * deserialised event's field, set as the runtime's deserialiser sets it from the JSON).
     */
    public static APIGatewayV2HTTPEvent from(String sourceIp, APIGatewayV2HTTPEvent event) {
        event.getRequestContext().getHttp().setSourceIp(sourceIp);
        return event;
    }
}
