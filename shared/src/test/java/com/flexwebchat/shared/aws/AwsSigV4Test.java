package com.flexwebchat.shared.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer against answers AWS published, not against itself. */
class AwsSigV4Test {

    static final AwsCredentials EXAMPLE = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

    /**
     * The IAM ListUsers example of the SigV4 documentation ("Examples of signed requests": GET
     * https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 on 20150830T123600Z).
     */
    @Test
    void signsAwssListUsersExample() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "iam.amazonaws.com");
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        headers.put("X-Amz-Date", "20150830T123600Z");

        String authorization = AwsSigV4.authorization(EXAMPLE, "us-east-1", "iam", "20150830T123600Z", "GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), headers, new byte[0]);

        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,"
                + " SignedHeaders=content-type;host;x-amz-date,"
                + " Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", authorization);
    }

    @Test
    void canonicalisesQueryOrderAndHeaderWhitespace() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-date", "20150830T123600Z");
        headers.put("content-type", "  application/x-www-form-urlencoded;   charset=utf-8 ");
        headers.put("HOST", "iam.amazonaws.com");

        String authorization = AwsSigV4.authorization(EXAMPLE, "us-east-1", "iam", "20150830T123600Z", "GET",
                URI.create("https://iam.amazonaws.com/?Version=2010-05-08&Action=ListUsers"), headers, new byte[0]);

        assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
                authorization.substring(authorization.indexOf("Signature=") + "Signature=".length()));
    }

    /** get-vanilla-query-order-key-case of AWS's SigV4 test suite. */
    @Test
    void signsTheTestSuitesQueryOrderCase() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "example.amazonaws.com");
        headers.put("X-Amz-Date", "20150830T123600Z");

        String authorization = AwsSigV4.authorization(EXAMPLE, "us-east-1", "service", "20150830T123600Z", "GET",
                URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"), headers, new byte[0]);

        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date,"
                + " Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", authorization);
    }
}
