package com.flexwebchat.emulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Twilio's list pages for the v1/v2 APIs: the records under a resource-specific key plus a {@code meta} object
 * ({@code page}, {@code page_size}, {@code first_page_url}, {@code previous_page_url}, {@code url},
 * {@code next_page_url}, {@code key}). {@code PageSize} defaults to 50 and is clamped to the operation's maximum;
 * {@code Page} is the zero-based page index. The URLs repeat the list's filters as Twilio does.
 *
 * @see <a href="https://www.twilio.com/docs/usage/twilios-response#response-formats-list-paging-information">Paging information</a>
 */
public final class Paging {

    static final int DEFAULT_PAGE_SIZE = 50;

    private Paging() {
    }

    /**
     * One page of {@code items}.
     *
     * @param key         the records' key, e.g. {@code conversations}
     * @param listUrl     the list's public URL without query
     * @param filterNames query parameters that filter the list, repeated in the page URLs
     * @param maxPageSize the largest {@code PageSize} the operation allows
     */
    public static <T> Map<String, Object> page(String key, String listUrl, List<String> filterNames, int maxPageSize,
                                        ApiRequest request, List<T> items, Function<T, Map<String, Object>> render) {
        int pageSize = Math.min(Math.max(intParam(request, "PageSize", DEFAULT_PAGE_SIZE), 1), maxPageSize);
        int page = intParam(request, "Page", 0);
        if (page < 0) {
            throw TwilioError.invalidParameter("Page", "must not be negative");
        }
        int from = (int) Math.min((long) page * pageSize, items.size());
        int to = Math.min(from + pageSize, items.size());
        List<Map<String, Object>> records = new ArrayList<>();
        for (T item : items.subList(from, to)) {
            records.add(render.apply(item));
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String name : filterNames) {
            List<String> values = request.queryValues(name);
            if (!values.isEmpty()) {
                filters.put(name, values);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("page_size", pageSize);
        meta.put("first_page_url", pageUrl(listUrl, filters, pageSize, 0));
        meta.put("previous_page_url", page > 0 ? pageUrl(listUrl, filters, pageSize, page - 1) : null);
        meta.put("url", pageUrl(listUrl, filters, pageSize, page));
        meta.put("next_page_url", to < items.size() ? pageUrl(listUrl, filters, pageSize, page + 1) : null);
        meta.put("key", key);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key, records);
        body.put("meta", meta);
        return body;
    }

    private static String pageUrl(String listUrl, Map<String, List<String>> filters, int pageSize, int page) {
        Map<String, List<String>> query = new LinkedHashMap<>(filters);
        query.put("PageSize", List.of(String.valueOf(pageSize)));
        query.put("Page", List.of(String.valueOf(page)));
        return listUrl + "?" + FormCodec.encode(query);
    }

    private static int intParam(ApiRequest request, String name, int defaultValue) {
        String raw = request.query(name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw TwilioError.invalidParameter(name, "not an integer: " + raw);
        }
    }
}
