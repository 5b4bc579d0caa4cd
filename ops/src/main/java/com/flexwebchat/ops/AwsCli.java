package com.flexwebchat.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The AWS CLI, which has the operator's credentials and Region: what the operations tools ask of
 * a deployed stack (its outputs and parameters, its secret). Its errors go to this process's stderr.
 */
public final class AwsCli {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String executable;

    /** @param executable {@code aws}, or a path to it */
    public AwsCli(String executable) {
        this.executable = executable;
    }

    /** A stack's output, by key. */
    public String stackOutput(String stack, String key) {
        String what = "the " + key + " output of stack " + stack;
        return required(read(what, "cloudformation", "describe-stacks", "--stack-name", stack,
                "--query", "Stacks[0].Outputs[?OutputKey=='" + key + "'].OutputValue", "--output", "text"), what);
    }

    /** A stack's parameter, by key; empty text when it is empty. */
    public String stackParameter(String stack, String key) {
        String value = read("the " + key + " parameter of stack " + stack, "cloudformation", "describe-stacks", "--stack-name",
                stack, "--query", "Stacks[0].Parameters[?ParameterKey=='" + key + "'].ParameterValue", "--output", "text");
        return "None".equals(value) ? "" : value;
    }

    /** A secret's SecretString. */
    public String secretString(String secretArn) {
        return required(read("the secret " + secretArn, "secretsmanager", "get-secret-value", "--secret-id", secretArn,
                "--query", "SecretString", "--output", "text"), "the secret " + secretArn);
    }

    /** The operator's credentials as the CLI resolves them: {@code {"AccessKeyId", "SecretAccessKey", "SessionToken"?}}. */
    public String credentialsJson() {
        return required(read("the AWS CLI's credentials", "configure", "export-credentials", "--format", "process"),
                "the AWS CLI's credentials");
    }

    /** The CLI's Region, or empty text when it has none configured. */
    public String region() {
        try {
            return run("configure", "get", "region");
        } catch (IllegalStateException e) {
            return "";
        }
    }

    /** Runs {@code aws args...}; its standard output, trimmed. */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of(executable));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("this needs the AWS CLI (" + executable + ") on the PATH");
        }
        try (InputStream stdout = process.getInputStream()) {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(stdout.readAllBytes(), StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the AWS CLI did not answer within " + TIMEOUT.toSeconds() + " s");
            }
            String value = output.get(5, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new Failed("the AWS CLI failed (aws " + args[0] + " " + args[1] + ", see above)");
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for the AWS CLI");
        } catch (ExecutionException | TimeoutException | IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException("could not read the AWS CLI's answer: " + e.getMessage());
        }
    }

    /** The CLI ran and exited non-zero; what it said went to stderr. */
    private static final class Failed extends IllegalStateException {
        Failed(String message) {
            super(message);
        }
    }

    /** {@link #run}, a failure naming what could not be read (the CLI's own message is above it on stderr). */
    private String read(String what, String... args) {
        try {
            return run(args);
        } catch (Failed e) {
            throw new IllegalStateException("could not read " + what + " (the AWS CLI failed, see above)");
        }
    }

    private static String required(String value, String what) {
        if (value.isEmpty() || "None".equals(value)) {
            throw new IllegalStateException("could not read " + what + " (no such value)");
        }
        return value;
    }
}
