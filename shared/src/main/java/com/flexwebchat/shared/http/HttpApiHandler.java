package com.flexwebchat.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A function behind the HTTP API. Lambda calls {@link #handleRequest(InputStream, OutputStream, Context)}
 * with the event's bytes (the runtime takes a {@code RequestStreamHandler} as it is, with no
 * serialiser of its own); {@link HttpApiPayload} reads them and writes the answer, and
 * {@link #handle} is the function itself, which tests call directly.
 */
public interface HttpApiHandler extends RequestStreamHandler {

    /** One request: the event API Gateway sent (null when the payload was not one), the invocation's context. */
    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context);

    @Override
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApiPayload.write(handle(HttpApiPayload.read(input), context), output);
    }
}
