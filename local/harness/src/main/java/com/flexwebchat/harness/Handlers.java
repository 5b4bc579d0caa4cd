package com.flexwebchat.harness;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.config.ProcessEnvironment;
import java.util.Map;

/**
 * Builds a handler the way the Java runtime does: from the template's {@code Handler} string
 * ({@code package.Class::method}), through its public no-argument constructor, with the
 * function's environment variables in place (as {@code sam local invoke --env-vars} provides).
 */
public final class Handlers {

    private Handlers() {
    }

    @SuppressWarnings("unchecked")
    public static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(
            String handler, Map<String, String> environment) {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        ProcessEnvironment.overrideForLocalRun(environment);
        try {
            Object instance = Class.forName(className).getConstructor().newInstance();
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) instance;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Handler " + handler + " failed to initialise", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Handler " + handler + " cannot be built: " + e, e);
        }
    }
}
