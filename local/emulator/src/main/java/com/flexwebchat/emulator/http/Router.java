package com.flexwebchat.emulator.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's route table. Templates include the Twilio subdomain as their first segment, e.g.
 * {@code /conversations/v1/Conversations/{Sid}} for {@code https://conversations.twilio.com/v1/Conversations/{Sid}}.
 */
public final class Router {

    /** A route chosen for a request, with the values of its path parameters. */
    record Match(Route route, Map<String, String> pathParams) {
    }

    private final List<Route> routes = new ArrayList<>();

    public void add(String method, String template, Route.Handler handler) {
        routes.add(new Route(method, new PathTemplate(template), handler, true));
    }

    /**
     * An operation served without credentials: a URL that carries its own authorisation, such as the pre-signed
     * {@code content_direct_temporary} link of a media file. Its answers are its own (the handler decides, e.g.
     * 403 for a bad signature); authentication is not checked.
     */
    public void addUnauthenticated(String method, String template, Route.Handler handler) {
        routes.add(new Route(method, new PathTemplate(template), handler, false));
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The unauthenticated route for a request, if it addresses one (see {@link #addUnauthenticated}). */
    Optional<Match> unauthenticated(String method, String path) {
        for (Route route : routes) {
            if (!route.authenticated() && route.method().equals(method)) {
                Optional<Map<String, String>> params = route.template().match(path);
                if (params.isPresent()) {
                    return Optional.of(new Match(route, params.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The most specific route for a request. Unknown paths answer 404 / 20404 and known paths with another
     * method 405 / 20004, as Twilio does.
     */
    Match route(String method, String path) {
        boolean pathKnown = false;
        Optional<Match> best = Optional.empty();
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.template().match(path);
            if (params.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method)) {
                Match candidate = new Match(route, params.get());
                best = best.isEmpty() ? Optional.of(candidate)
                        : Optional.of(moreSpecific(best.get(), candidate));
            }
        }
        if (best.isPresent()) {
            return best.get();
        }
        String resource = withoutSubdomain(path);
        throw pathKnown ? TwilioError.methodNotAllowed(method, resource) : TwilioError.notFound(resource);
    }

    /** {@code /conversations/v1/Conversations} becomes {@code /v1/Conversations}, the path Twilio reports. */
    static String withoutSubdomain(String path) {
        int slash = path.indexOf('/', 1);
        return slash < 0 ? path : path.substring(slash);
    }

    private static Match moreSpecific(Match a, Match b) {
        Comparator<Match> bySpecificity = Comparator.comparingInt(m -> m.route().template().literalSegments());
        return bySpecificity.compare(b, a) > 0 ? b : a;
    }
}
