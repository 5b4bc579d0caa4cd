package com.flexwebchat.shared.aws;

import java.net.URI;
import java.util.Map;

/**
 * Where a service's API is: {@code https://PREFIX.REGION.amazonaws.com} (".com.cn" in China), or
 * what {@code AWS_ENDPOINT_URL_<SERVICE>} / {@code AWS_ENDPOINT_URL} say, as the AWS SDKs read them
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html): for a local
 * stand-in, for instance.
 */
public final class AwsEndpoints {

    private AwsEndpoints() {
    }

    /**
     * @param serviceId      the service's identifier in the environment variable, e.g. {@code SECRETS_MANAGER}, {@code DYNAMODB}
     * @param endpointPrefix the service's host prefix, e.g. {@code secretsmanager}, {@code dynamodb}
     * @param partition      {@code aws}, {@code aws-cn} or {@code aws-us-gov}
     */
    public static URI resolve(Map<String, String> env, String serviceId, String endpointPrefix, String partition,
                              String region) {
        for (String variable : new String[] {"AWS_ENDPOINT_URL_" + serviceId, "AWS_ENDPOINT_URL"}) {
            String override = AwsHttp.value(env, variable);
            if (override != null) {
                try {
                    URI uri = URI.create(override);
                    if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                        return uri;
                    }
                } catch (IllegalArgumentException e) {
                    // reported below
                }
                throw new AwsException(variable + " must be an http(s) URL such as http://127.0.0.1:4566");
            }
        }
        String domain = switch (partition) {
            case "aws", "aws-us-gov" -> "amazonaws.com";
            case "aws-cn" -> "amazonaws.com.cn";
            default -> throw new AwsException("the " + partition + " partition has no known endpoint: set AWS_ENDPOINT_URL_"
                    + serviceId);
        };
        return URI.create("https://" + endpointPrefix + "." + region + "." + domain + "/");
    }

    /**
     * The Region the function runs in: {@code AWS_REGION} (Lambda sets it), else {@code AWS_DEFAULT_REGION}.
     *
     * @param service named in the exception when neither is set
     */
    public static String region(Map<String, String> env, String service) {
        String region = AwsHttp.value(env, "AWS_REGION");
        if (region == null) {
            region = AwsHttp.value(env, "AWS_DEFAULT_REGION");
        }
        if (region == null) {
            throw new AwsException("AWS_REGION is not set (Lambda sets it), so " + service + "'s Region is unknown");
        }
        return region;
    }

    /** {@code aws-cn} for the China Regions, {@code aws-us-gov} for GovCloud, else {@code aws}. */
    public static String partition(String region) {
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** What the JDK sends as {@code Host} (and so what must be signed): the port only when it is not the scheme's default. */
    public static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == ("https".equals(uri.getScheme()) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }
}
