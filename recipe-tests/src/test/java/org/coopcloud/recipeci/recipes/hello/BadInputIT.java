package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coopcloud.recipeci.recipes.hello.badinput.BadInput;
import org.coopcloud.recipeci.recipes.hello.badinput.BadInputCatalogue;
import org.coopcloud.recipeci.recipes.hello.badinput.BadInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 13's bad inputs, each given to a real run of the CI entrypoint in a child JVM of its own (several at once):
 * every one must end with exit 2, one line that says what to fix, no stack trace and no repeated line — and
 * nothing may be created for any of them: nothing on the swarm named after a run app of this test's domain suffix, no
 * app env file, no lockfile. The table is {@link BadInputs}.
 */
@ResourceLock(ManyJvms.LOCK)
class BadInputIT {
    /** A suffix of this test's own: its runs' names on the swarm all end in it, and no other test's do. */
    static final String SUFFIX = "badinput.recipe-ci.test";

    private static final String MAIN = "org.coopcloud.recipeci.launcher.RecipeCi";

    @TempDir
    Path work;

    /** What one bad input's run did. */
    private record Ran(BadInput input, int exit, String output, Path runDir) {}

    @Test
    void everyBadInputIsRefusedWithExit2_oneLineSayingWhatToFix_noTrace_andNothingIsCreated() throws Exception {
        Path source = Path.of(System.getenv()
                .getOrDefault(
                        "RECIPECI_HOME",
                        Path.of(System.getProperty("user.home"), ".recipe-ci").toString()));
        BadInputCatalogue catalogue = BadInputs.catalogue(work.resolve("home")).build(source);
        Path lockDir = Files.createDirectories(work.resolve("locks"));
        Path classes = BadInputs.profileClasspath(work.resolve("profile-cp"));
        List<BadInput> inputs = BadInputs.all(work, lockDir);
        assertThat(inputs).as("issue 13 asks for at least 40").hasSizeGreaterThanOrEqualTo(40);

        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Ran>> running = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            BadInput input = inputs.get(i);
            String runId = "bad-" + i;
            running.add(pool.submit(() -> run(input, runId, catalogue, lockDir, classes)));
        }
        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Future<Ran> f : running) {
            Ran ran = f.get(5, TimeUnit.MINUTES);
            List<String> wrong = judge(ran);
            table.append(String.format(
                    "  %-28s exit %d  %s%n",
                    ran.input().name(), ran.exit(), wrong.isEmpty() ? message(ran.output()) : wrong));
            wrong.forEach(w -> problems.add(
                    ran.input().name() + ": " + w + "\n" + ran.output().indent(4)));
        }
        pool.shutdownNow();
        System.out.printf(
                "%d bad inputs in %d s:%n%s",
                inputs.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), table);

        String onSwarm = SUFFIX.replace('.', '_');
        for (String kind : List.of("stack", "service", "container", "volume", "secret", "config", "network")) {
            List<String> names = "container".equals(kind)
                    ? HelloRunIT.docker("container", "ls", "--all", "--format", "{{.Names}}")
                    : HelloRunIT.docker(kind, "ls", "--format", "{{.Name}}");
            names.stream().filter(n -> n.contains(onSwarm)).forEach(n -> problems.add(kind + " " + n + " was created"));
        }
        filesIn(catalogue.servers()).forEach(f -> problems.add("app env file " + f + " was created"));
        filesIn(lockDir).forEach(f -> problems.add("lockfile " + f + " was created"));
        assertThat(problems).isEmpty();
    }

    private static String message(String output) {
        return output.lines()
                .filter(l -> l.contains("configuration error:"))
                .findFirst()
                .orElse("(none)");
    }

    private static List<String> judge(Ran ran) throws IOException {
        List<String> wrong = new ArrayList<>();
        // A CI step reads the run's own exit code there (Maven reports every failure as 1).
        Path exitCode = ran.runDir().resolve("exit-code");
        if (ran.input().runDirectory()) {
            if (!(Files.exists(exitCode) && Files.readString(exitCode).strip().equals("2"))) {
                wrong.add("its run directory has no exit-code 2");
            } else if (!Files.readString(ran.runDir().resolve("summary.md")).contains("configuration error")) {
                wrong.add("its summary.md does not say it was a configuration error");
            }
        } else if (Files.exists(ran.runDir())) {
            wrong.add("a run directory was made for it: " + ran.runDir());
        }
        if (ran.exit() != 2) {
            wrong.add("exit " + ran.exit() + ", not 2");
        }
        List<String> lines = ran.output().lines().toList();
        List<String> said =
                lines.stream().filter(l -> l.contains("configuration error:")).toList();
        if (said.size() != 1) {
            wrong.add(said.size() + " configuration error lines, not one");
        } else if (!said.get(0).contains(ran.input().fix())) {
            wrong.add("the message does not say '" + ran.input().fix() + "'");
        }
        if (lines.stream()
                .anyMatch(l -> l.matches("\\s+at [\\w$.]+\\(.*\\)")
                        || l.startsWith("Caused by: ")
                        || l.startsWith("Exception in thread"))) {
            wrong.add("a stack trace");
        }
        if (lines.stream().filter(l -> l.contains("FAIL")).count() > 1) {
            wrong.add("repeated FAIL lines");
        }
        return wrong;
    }

    private Ran run(BadInput input, String runId, BadInputCatalogue catalogue, Path lockDir, Path classes)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(input.wrapper());
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(HarnessRun.LEAN_JVM);
        argv.addAll(SharedClasses.archiveOnly());
        argv.add("-cp");
        // The bad-input profile last: a class path that starts as the shared archive's can map it.
        argv.add(RecipeCiProcess.classpath() + ":" + classes);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("recipeci.runs-dir", work.resolve("runs").toString());
        props.put("recipeci.run-id", runId);
        props.put("recipe", "hello");
        props.put("stages", "install");
        props.put("recipeci.home", catalogue.home().toString());
        props.put("recipeci.lock-dir", lockDir.toString());
        props.put("recipeci.domain-suffix", SUFFIX);
        props.put("recipeci.pr", runId);
        props.putAll(input.properties());
        props.forEach((k, v) -> {
            if (v != null) {
                argv.add("-D" + k + "=" + v);
            }
        });
        argv.add(MAIN);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("RECIPECI_"));
        builder.environment().putAll(input.env());
        Path runDir = Path.of(props.get("recipeci.runs-dir")).resolve(props.get("recipeci.run-id"));
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Ran(input, -1, "still running after 3 minutes", runDir);
        }
        return new Ran(input, p.exitValue(), new String(out, StandardCharsets.UTF_8), runDir);
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
