package com.flexwebchat.shared.snapstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;
import java.util.UUID;

/**
 * The invocation context a priming request runs with, shaped as the runtime's own: a request ID
 * (a UUID, as Lambda's are), the function's name and memory from Lambda's environment, and a
 * deadline. With no context at all the request would take paths (no request ID in the log line, a
 * default budget) that no visitor's request takes, and the JIT would have compiled those instead.
 */
final class PrimingContext implements Context {

    /** The template's timeout: what a real invocation would have left at its start. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final LambdaLogger NO_LOGGER = new LambdaLogger() {
        @Override
        public void log(String message) {
        }

        @Override
        public void log(byte[] message) {
        }
    };

    private final String requestId = UUID.randomUUID().toString();
    private final long deadline = System.nanoTime() + TIMEOUT.toNanos();

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
    }

    @Override
    public String getLogStreamName() {
        return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
    }

    @Override
    public String getFunctionName() {
        return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    }

    @Override
    public String getFunctionVersion() {
        return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
    }

    @Override
    public String getInvokedFunctionArn() {
        return null;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        String memory = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        try {
            return memory == null ? 1024 : Integer.parseInt(memory);
        } catch (NumberFormatException e) {
            return 1024;
        }
    }

    @Override
    public LambdaLogger getLogger() {
        return NO_LOGGER;
    }
}
