package org.coopcloud.recipeci.recipes.hello;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the CI entrypoint in a child JVM, the way `mvn verify -Drecipe=NAME` does, and collects what it left. */
final class RecipeCiProcess {
    private static final String MAIN = "org.coopcloud.recipeci.launcher.RecipeCi";

    record Outcome(int exitCode, String output) {
        /** The stack names of the apps this run deployed, read from its progress lines. */
        List<String> stacks() {
            return stacksIn(output);
        }
    }

    private static final java.util.regex.Pattern DOMAIN =
            java.util.regex.Pattern.compile("\\b(hell-[0-9a-f]{6}\\.[a-z0-9.-]+?): ");

    static List<String> stacksIn(String output) {
        List<String> stacks = new ArrayList<>();
        java.util.regex.Matcher m = DOMAIN.matcher(output);
        while (m.find()) {
            String stack = m.group(1).replace('.', '_');
            if (!stacks.contains(stack)) {
                stacks.add(stack);
            }
        }
        return stacks;
    }

    /** Fails when anything of these stacks is still on the swarm. */
    static void assertNothingLeftOf(List<String> stacks) throws IOException, InterruptedException {
        for (String stack : stacks) {
            for (String kind : List.of("stack", "volume", "secret", "network", "config")) {
                List<String> names = kind.equals("stack")
                        ? HelloRunIT.docker("stack", "ls", "--format", "{{.Name}}")
                        : HelloRunIT.docker(kind, "ls", "--format", "{{.Name}}");
                org.assertj.core.api.Assertions.assertThat(names)
                        .as("%ss of %s left on the swarm", kind, stack)
                        .noneMatch(n -> n.equals(stack) || n.startsWith(stack + "_"));
            }
        }
    }

    private RecipeCiProcess() {}

    static Outcome run(Path runsDir, String runId, String... properties) throws IOException, InterruptedException {
        return run(runsDir, runId, java.util.Map.of(), properties);
    }

    /** @param env added to the child's environment (e.g. a PATH with a fake abra first) */
    static Outcome run(Path runsDir, String runId, java.util.Map<String, String> env, String... properties)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv(runsDir, runId, properties)).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("recipe-ci did not finish within 5 minutes");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            System.out.println(text);
            return new Outcome(process.exitValue(), text);
        } finally {
            process.destroyForcibly();
        }
    }

    static List<String> argv(Path runsDir, String runId, String... properties) {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Drecipeci.runs-dir=" + runsDir,
                "-Drecipeci.run-id=" + runId));
        argv.addAll(List.of(properties));
        argv.add(MAIN);
        return argv;
    }
}
