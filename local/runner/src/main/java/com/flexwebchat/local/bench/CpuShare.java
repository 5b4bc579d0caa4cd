package com.flexwebchat.local.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lambda's CPU share for a memory size, imposed on a probe JVM with a Linux cgroup's CPU quota.
 * Lambda "allocates CPU power in proportion to the amount of memory configured … At 1,769 MB, a
 * function has the equivalent of one vCPU"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html): 1024 MB is about 0.58
 * of a CPU and 512 MB about 0.29. A quota of that share per 100 ms period (the kernel's default;
 * the period Lambda's own throttling uses is not published) makes a fresh JVM on this machine wait
 * as a function of that size would, on this machine's cores.
 *
 * <p>Needs a writable cgroup CPU controller (cgroup v2's {@code cpu.max}, or v1's
 * {@code cpu.cfs_quota_us}), as root on Linux has; {@link #available()} says whether there is one.
 */
public final class CpuShare {

    /** Lambda's memory size with the equivalent of one vCPU. */
    static final int MB_PER_VCPU = 1769;
    private static final int PERIOD_MICROS = 100_000;
    private static final Path V2 = Path.of("/sys/fs/cgroup");
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");

    private final int memoryMb;
    private final Path group;

    private CpuShare(int memoryMb, Path group) {
        this.memoryMb = memoryMb;
        this.group = group;
    }

    /** Why CPU shares cannot be imposed here, or empty when they can. */
    public static Optional<String> unavailable() {
        if (isV2()) {
            return Files.isWritable(V2) ? Optional.empty() : Optional.of(V2 + " is not writable (needs root)");
        }
        if (Files.isRegularFile(V1.resolve("cpu.cfs_quota_us"))) {
            return Files.isWritable(V1) ? Optional.empty() : Optional.of(V1 + " is not writable (needs root)");
        }
        return Optional.of("no cgroup CPU controller at " + V2 + " or " + V1);
    }

    /** Whether {@link #of(int)} can work here. */
    public static boolean available() {
        return unavailable().isEmpty();
    }

    /** A cgroup holding Lambda's CPU share for {@code memoryMb}, made now (and emptied of any earlier quota). */
    public static CpuShare of(int memoryMb) {
        unavailable().ifPresent(why -> {
            throw new IllegalStateException("Lambda's CPU share cannot be imposed here: " + why);
        });
        long quota = Math.round((double) memoryMb / MB_PER_VCPU * PERIOD_MICROS);
        Path group = (isV2() ? V2 : V1).resolve("flex-webchat-bench-" + memoryMb + "mb");
        try {
            if (isV2()) {
                enableCpuControllerV2();
                Files.createDirectories(group);
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_MICROS);
            } else {
                Files.createDirectories(group);
                Files.writeString(group.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), String.valueOf(quota));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the cgroup " + group, e);
        }
        return new CpuShare(memoryMb, group);
    }

    public int memoryMb() {
        return memoryMb;
    }

    /** The share of one CPU, such as 0.58. */
    public double vcpus() {
        return (double) memoryMb / MB_PER_VCPU;
    }

    /** {@code command} started inside the cgroup: a shell that moves itself in, then becomes the command. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > '" + group.resolve("cgroup.procs") + "' && exec \"$@\"", "cpu-share"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Removes the cgroup (it must hold no process any more); quietly keeps it otherwise. */
    public void remove() {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            // still busy: left for the next run, which reuses it
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d MB (%.2f vCPU)", memoryMb, vcpus());
    }

    private static boolean isV2() {
        return Files.isRegularFile(V2.resolve("cgroup.controllers"));
    }

    private static void enableCpuControllerV2() throws IOException {
        Path control = V2.resolve("cgroup.subtree_control");
        if (!Files.readString(control).contains("cpu")) {
            Files.writeString(control, "+cpu");
        }
    }
}
