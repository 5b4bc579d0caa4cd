package com.flexwebchat.shared.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.flexwebchat.shared.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    static HttpRequest from(String sourceIp, String forwardedFor) {
        return new HttpRequest("POST", "/initWebchat", forwardedFor == null ? Map.of() : Map.of("x-forwarded-for", forwardedFor),
                "", "req-1", sourceIp);
    }

    @Test
    void byDefaultTheAddressThatConnectedCountsAndXForwardedForIsIgnored() {
        ClientAddress clients = new ClientAddress(false);
        assertEquals("198.51.100.1", clients.of(from("198.51.100.1", "203.0.113.7")));
        assertNull(clients.of(from(null, "203.0.113.7")));
    }

    @Test
    void behindCloudFrontTheLastForwardedAddressCounts() {
        ClientAddress clients = new ClientAddress(true);
        assertEquals("203.0.113.7", clients.of(from("130.176.0.1", "203.0.113.7")));
        assertEquals("203.0.113.7", clients.of(from("130.176.0.1", "6.6.6.6, 7.7.7.7,  203.0.113.7 ")),
                "what the client wrote itself, left of CloudFront's entry, is ignored");
        assertEquals("2001:db8::7", clients.of(from("130.176.0.1", "2001:db8::7")));
    }

    @Test
    void withoutAUsableForwardedAddressTheConnectingOneCounts() {
        ClientAddress clients = new ClientAddress(true);
        assertEquals("130.176.0.1", clients.of(from("130.176.0.1", null)));
        assertEquals("130.176.0.1", clients.of(from("130.176.0.1", "  ")));
        assertEquals("130.176.0.1", clients.of(from("130.176.0.1", "203.0.113.7, ")));
    }
}
