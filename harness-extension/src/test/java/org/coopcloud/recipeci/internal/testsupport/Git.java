package org.coopcloud.recipeci.internal.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real git in a test's temp dir, for the recipe catalogues the tests build. */
public final class Git {
    private Git() {}

    /** Runs {@code git -C dir args…}, asserts it succeeded within a minute and answers its output. */
    public static String run(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES))
                .as("git %s finished", args[0])
                .isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
