package com.flexwebchat.emulator.mcs;

import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The Media Content Service's operations (https://www.twilio.com/docs/conversations/api/media-resource): "The base
 * URL for Media via the Media Content Service (MCS) is: https://mcs.us1.twilio.com/v1", with "HTTP Basic
 * authentication ... your API key as the username and your API key's secret as the password ... For local
 * testing, you can use your Account SID as the username and your Auth token as the password" (the emulator takes
 * both, as for every API). "The Twilio Helper Libraries or Twilio CLI don't support the Media resource."
 * <ul>
 *   <li>{@code POST /v1/Services/{ChatServiceSid}/Media}: uploads a file, sent as the raw body with its own
 *       {@code Content-Type} (https://www.twilio.com/docs/conversations/media-support-conversations); answers the
 *       resource (201). Its name, when given, comes as the {@code Filename} query parameter, as Twilio's own MCS
 *       client sends it; TODO(uncertain): the REST docs show no way to name a file, and the browser SDK's
 *       multipart form upload is not emulated. A REST upload's {@code author} is {@code system}.</li>
 *   <li>{@code GET /v1/Services/{ChatServiceSid}/Media/{Sid}}: the resource, with
 *       {@code links.content_direct_temporary}, a pre-signed link good for a while ({@link TemporaryUrls}).</li>
 *   <li>{@code GET /v1/Services/{ChatServiceSid}/Media/{Sid}/Content}, the resource's {@code links.content}:
 *       the file, with credentials. TODO(uncertain): what Twilio answers there (the file, or a redirect to the
 *       temporary link) is undocumented; the emulator answers the file.</li>
 *   <li>{@code GET https://media.us1.twilio.com/{Sid}?Expires=&Signature=&Key-Pair-Id=} (the temporary link),
 *       without credentials: the file, or the CDN's 403 {@code AccessDenied} once it has expired or when its
 *       signature is not the one issued.</li>
 * </ul>
 */
final class MediaApi {

    static final String PREFIX = "/" + TwilioUrls.MCS_SUBDOMAIN + "/v1/Services/{ChatServiceSid}/Media";
    static final String TEMPORARY = "/" + TwilioUrls.MEDIA_SUBDOMAIN + "/{Sid}";
    private static final Pattern MIME_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+(\\s*;.*)?");

    private final MediaStore store;
    private final TemporaryUrls temporaryUrls;

    MediaApi(MediaStore store, TemporaryUrls temporaryUrls) {
        this.store = store;
        this.temporaryUrls = temporaryUrls;
    }

    void register(Router router) {
        router.add("POST", PREFIX, this::upload);
        router.add("GET", PREFIX + "/{Sid}", this::fetch);
        router.add("GET", PREFIX + "/{Sid}/Content", this::content);
        router.addUnauthenticated("GET", TEMPORARY, this::temporaryContent);
    }

    private ApiResponse upload(ApiRequest req) {
        String serviceSid = service(req);
        String contentType = req.header("Content-Type");
        // TODO(uncertain): MCS's status and code for an upload without a type or a body are undocumented.
        if (contentType == null || !MIME_TYPE.matcher(contentType.trim()).matches()) {
            throw TwilioError.invalidParameter("Content-Type", "the file's MIME type is required");
        }
        if (req.body() == null || req.body().length == 0) {
            throw TwilioError.missingParameter("media content");
        }
        String filename = req.query("Filename");
        Media media = store.add(serviceSid, contentType.trim(), filename == null || filename.isEmpty() ? null : filename,
                "system", req.body());
        return ApiResponse.created(media.toResource(null));
    }

    private ApiResponse fetch(ApiRequest req) {
        Media media = media(req);
        return ApiResponse.ok(media.toResource(temporaryUrls.issue(media)));
    }

    private ApiResponse content(ApiRequest req) {
        Media media = media(req);
        return ApiResponse.file(200, media.content(), media.contentType);
    }

    /** The pre-signed link: the CDN's XML error for a refusal, as S3 and CloudFront answer one. */
    private ApiResponse temporaryContent(ApiRequest req) {
        String sid = req.pathParam("Sid");
        String refusal = temporaryUrls.refusal(sid, req.query("Expires"), req.query("Signature"), req.query("Key-Pair-Id"));
        if (refusal != null) {
            return cdnError(403, "AccessDenied", refusal);
        }
        return store.find(sid)
                .map(media -> ApiResponse.file(200, media.content(), media.contentType))
                .orElseGet(() -> cdnError(404, "NoSuchKey", "The specified key does not exist."));
    }

    private String service(ApiRequest req) {
        String serviceSid = req.pathParam("ChatServiceSid");
        if (!store.hasService(serviceSid)) {
            throw TwilioError.notFound(req.resource());
        }
        return serviceSid;
    }

    private Media media(ApiRequest req) {
        return store.find(service(req), req.pathParam("Sid")).orElseThrow(() -> TwilioError.notFound(req.resource()));
    }

    private static ApiResponse cdnError(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
        return ApiResponse.file(status, xml.getBytes(StandardCharsets.UTF_8), "text/xml");
    }
}
