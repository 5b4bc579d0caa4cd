package com.flexwebchat.shared.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The browser routes take {@code application/json} and nothing else (README: 415 for "a
 * Content-Type other than JSON"): the header is read as a media type (type/subtype, any case,
 * white space around, parameters, a charset only if UTF-8), not as a prefix.
 */
@ExtendWith(Seeds.class)
class ContentTypePropertiesTest {

    /** A Content-Type header and whether it names JSON, as the test knows it. */
    record Header(String value, boolean json) {
    }

    static String anyCase(String text, SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    static String space(SplittableRandom random) {
        return Gen.element("", "", " ", "  ", "\t").next(random);
    }

    /** application/json in any case, spacing and with parameters a browser or a library may add. */
    static Gen<Header> json() {
        return random -> {
            StringBuilder value = new StringBuilder(space(random)).append(anyCase("application/json", random));
            int params = random.nextInt(3);
            for (int i = 0; i < params; i++) {
                value.append(space(random)).append(';').append(space(random)).append(Gen.element(
                        anyCase("charset", random) + "=" + anyCase("utf-8", random),
                        "charset=\"UTF-8\"", "charset=utf8", "foo=bar", "q=0.5", "x-y=\"a;b\"", "").next(random));
            }
            return new Header(value.append(space(random)).toString(), true);
        };
    }

    /** Near misses: other JSON-ish types that share the prefix, broken syntax, other charsets, other types. */
    static Gen<Header> notJson() {
        Gen<String> value = Gen.oneOf(
                Gen.element("application/jsonp", "application/json-seq", "application/json5", "application/jsonl",
                        "application/jsonx", "application/json+x", "application/json/x", "application/json.", "application/json2",
                        "text/json", "application/x-json", "application/vnd.api+json", "application/merge-patch+json",
                        "json", "application", "application/", "/json", "application json", "application /json",
                        "application/ json", "applicationx/json", "xapplication/json", "*/*", "application/*",
                        "text/plain", "text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/xml", "application/json, text/plain", "application/json,application/json",
                        "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; charset",
                        "application/json; =utf-8", "application/json; charset=\"utf-8", "application/json garbage",
                        "application/json\u0000", "application/\u0458son", "application/json\u200B", "ａpplication/json"),
                random -> "application/json" + Gen.strings(Gen.codePoints(new int[] {0x21, 0x7E}), 1, 3)
                        .map(s -> s.startsWith(";") || s.startsWith(" ") ? "x" + s : s).next(random));
        return random -> {
            String v = value.next(random);
            return new Header(random.nextBoolean() ? anyCase(v, random) : v, false);
        };
    }

    static HttpRequest request(String contentType) {
        return new HttpRequest("POST", "/initWebchat", Map.of("content-type", contentType), "{\"a\":1}", "r");
    }

    @Test
    void jsonIsReadAsAMediaTypeNotAPrefix(Property property) {
        property.forAll("Content-Type", 3_000, Gen.oneOf(json(), notJson()), header -> {
            if (header.json()) {
                assertEquals(1, request(header.value()).jsonObject().get("a").asInt(), header.value());
            } else {
                ApiError refused = assertThrows(ApiError.class, () -> request(header.value()).jsonObject(), header.value());
                assertEquals(415, refused.status(), header.value());
                assertEquals("unsupported_media_type", refused.code());
            }
        });
    }

    @Test
    void typesThatMerelyStartLikeJsonAreRefused(Property property) {
        property.forAll("near misses", 1_000, notJson(), header -> {
            ApiError refused = assertThrows(ApiError.class, () -> request(header.value()).jsonObject(), header.value());
            assertEquals(415, refused.status(), header.value());
        });
    }

    @Test
    void noContentTypeIsTakenAsJson() {
        assertEquals(1, new HttpRequest("POST", "/x", Map.of(), "{\"a\":1}", "r").jsonObject().get("a").asInt());
        assertEquals(Locale.ROOT, Locale.ROOT);
    }
}
