package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Lambda's CPU share for a memory size, as a cgroup quota around a child process (where this machine allows one). */
class CpuShareTest {

    @Test
    void theShareIsMemoryOverTheSizeWithOneVcpu() {
        Assumptions.assumeTrue(CpuShare.available(), () -> "no writable cgroup CPU controller: " + CpuShare.unavailable().orElse(""));
        CpuShare share = CpuShare.of(1024);
        try {
            assertEquals(1024.0 / 1769, share.vcpus(), 1e-9);
            assertEquals("1024 MB (0.58 vCPU)", share.toString());
        } finally {
            share.remove();
        }
    }

    @Test
    void aWrappedCommandRunsInsideTheQuotasCgroup() throws Exception {
        Assumptions.assumeTrue(CpuShare.available(), () -> "no writable cgroup CPU controller: " + CpuShare.unavailable().orElse(""));
        CpuShare share = CpuShare.of(512);
        try {
            Process process = new ProcessBuilder(share.wrap(List.of("cat", "/proc/self/cgroup"))).redirectErrorStream(true).start();
            String cgroups = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), cgroups);
            assertTrue(cgroups.contains("flex-webchat-bench-512mb"), cgroups);

            Path v1Quota = Path.of("/sys/fs/cgroup/cpu/flex-webchat-bench-512mb/cpu.cfs_quota_us");
            Path v2Max = Path.of("/sys/fs/cgroup/flex-webchat-bench-512mb/cpu.max");
            String quota = Files.exists(v1Quota) ? Files.readString(v1Quota).trim() : Files.readString(v2Max).trim().split(" ")[0];
            assertEquals(String.valueOf(Math.round(512.0 / 1769 * 100_000)), quota, "512/1769 of each 100 ms period");
        } finally {
            share.remove();
        }
    }
}
