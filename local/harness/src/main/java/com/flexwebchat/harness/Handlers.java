package com.flexwebchat.harness;

import com.flexwebchat.shared.config.ProcessEnvironment;
import com.flexwebchat.shared.http.HttpApiHandler;
import java.util.Map;

/**
 * Builds a handler the way the Java runtime does: from the template's {@code Handler} string
 * ({@code package.Class::method}), through its public no-argument constructor, with the
 * function's environment variables in place (as {@code sam local invoke --env-vars} provides).
 */
public final class Handlers {

    private Handlers() {
    }

    public static HttpApiHandler instantiate(
            String handler, Map<String, String> environment) {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        ProcessEnvironment.overrideForLocalRun(environment);
        try {
            Object instance = Class.forName(className).getConstructor().newInstance();
            return (HttpApiHandler) instance;
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
