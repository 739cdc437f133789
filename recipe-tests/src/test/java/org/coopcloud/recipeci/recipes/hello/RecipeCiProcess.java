package org.coopcloud.recipeci.recipes.hello;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings;

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

    /** Fails when anything of these stacks is still on the swarm, or anything of the bridge to them on the host. */
    static void assertNothingLeftOf(List<String> stacks) throws IOException, InterruptedException {
        assertNothingLeftOf(
                stacks, FrontDoorSettings.defaults().edgeDir(new StackName("x")).getParent());
    }

    /** {@link #assertNothingLeftOf(List)} for runs whose edge directories are under {@code edgeBase}. */
    static void assertNothingLeftOf(List<String> stacks, Path edgeBase) throws IOException, InterruptedException {
        for (String stack : stacks) {
            org.assertj.core.api.Assertions.assertThat(edgeBase.resolve(FrontDoorSettings.defaults()
                            .edgeDir(new StackName(stack))
                            .getFileName()))
                    .as("the edge directory of %s", stack)
                    .doesNotExist();
            for (String kind : List.of("stack", "service", "container", "volume", "secret", "network", "config")) {
                List<String> names =
                        switch (kind) {
                            case "stack" -> HelloRunIT.docker("stack", "ls", "--format", "{{.Name}}");
                            // Containers of a removed stack outlive its services for a while; they count too.
                            case "container" -> HelloRunIT.docker("container", "ls", "--all", "--format", "{{.Names}}");
                            default -> HelloRunIT.docker(kind, "ls", "--format", "{{.Name}}");
                        };
                org.assertj.core.api.Assertions.assertThat(names)
                        .as("%ss of %s left on the swarm", kind, stack)
                        .noneMatch(n ->
                                n.equals(stack) || n.startsWith(stack + "_") || n.equals("recipe-ci-edge-" + stack));
            }
        }
    }

    private RecipeCiProcess() {}

    static Outcome run(Path runsDir, String runId, String... properties) throws IOException, InterruptedException {
        return run(runsDir, runId, java.util.Map.of(), properties);
    }

    /** @param env added to the child's environment: how CI hands over secrets such as RECIPECI_GIT_TOKEN, or a PATH
     *     with a fake abra first */
    static Outcome run(Path runsDir, String runId, java.util.Map<String, String> env, String... properties)
            throws IOException, InterruptedException {
        SharedClasses.Flags shared = SharedClasses.flags();
        ProcessBuilder builder =
                new ProcessBuilder(argv(runsDir, runId, shared.jvm(), properties)).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("recipe-ci did not finish within 5 minutes");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            System.out.println(text);
            shared.exited(process.exitValue());
            return new Outcome(process.exitValue(), text);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The class path of a harness run: this JVM's test class path (the tier classes, their fixtures and the harness;
     * Failsafe's own jar is not in it), jars first for {@link SharedClasses}.
     */
    static String classpath() {
        return SharedClasses.classpath();
    }

    /** This JVM's test class path as Failsafe gave it. */
    static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static final String TEST_JVM_PR = "it" + ProcessHandle.current().pid();

    /** The test class ({@code *IT}) that asks for a run, in lower case: its runs' part of the PR. */
    static String callingClass() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(f -> f.getDeclaringClass().getSimpleName())
                        .filter(name -> name.endsWith("IT"))
                        .findFirst())
                .map(name -> name.toLowerCase(java.util.Locale.ROOT))
                .orElseThrow(() -> new IllegalStateException("a run asked for outside an *IT class"));
    }

    static List<String> argv(Path runsDir, String runId, String... properties) {
        return argv(runsDir, runId, SharedClasses.archiveOnly(), properties);
    }

    private static List<String> argv(Path runsDir, String runId, List<String> shared, String... properties) {
        List<String> argv = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // As the recipe-run profile starts the harness: a full hello run then costs half the CPU (C2 compiles for a
        // JVM that lives 20 s), and these runs are many on two cores.
        argv.addAll(HarnessRun.LEAN_JVM);
        argv.addAll(shared);
        argv.addAll(List.of("-cp", classpath(), "-Drecipeci.runs-dir=" + runsDir, "-Drecipeci.run-id=" + runId));
        if (Arrays.stream(properties).noneMatch(p -> p.startsWith("-Drecipeci.pr="))) {
            // The app domain derives from recipe, PR and commit: without a PR of its own, every developer's
            // concurrent build of these ITs would run the same domain on a shared swarm, and so would the test
            // classes that run side by side in this JVM. One PR per test JVM and class keeps the runs of one class on
            // one domain (reaping a dead run's app depends on that) and apart from every other class's.
            argv.add("-Drecipeci.pr=" + TEST_JVM_PR + "-" + callingClass());
        }
        argv.addAll(List.of(properties));
        argv.add(MAIN);
        return argv;
    }
}
