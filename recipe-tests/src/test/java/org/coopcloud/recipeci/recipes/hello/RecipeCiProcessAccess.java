package org.coopcloud.recipeci.recipes.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The child-JVM runner of the hello ITs, for the ITs of other recipes. */
public final class RecipeCiProcessAccess {
    private RecipeCiProcessAccess() {}

    public record Outcome(int exitCode, String output) {}

    public static Outcome run(Path runs, String runId, String... properties) throws IOException, InterruptedException {
        RecipeCiProcess.Outcome outcome = RecipeCiProcess.run(runs, runId, properties);
        return new Outcome(outcome.exitCode(), outcome.output());
    }

    /** Stack names of the run apps of a recipe (by its 4-character prefix) named in a run's output. */
    public static List<String> stacks(String output, String prefix) {
        List<String> stacks = new ArrayList<>();
        Matcher m = Pattern.compile("\\b(" + prefix + "-[0-9a-f]{6}\\.[a-z0-9.-]+?): ")
                .matcher(output);
        while (m.find()) {
            String stack = m.group(1).replace('.', '_');
            if (!stacks.contains(stack)) {
                stacks.add(stack);
            }
        }
        return stacks;
    }

    public static void assertNothingLeftOf(List<String> stacks) throws IOException, InterruptedException {
        RecipeCiProcess.assertNothingLeftOf(stacks);
    }

    /**
     * Runs the entrypoint, adds the stacks it names (by the recipe's 4-character prefix) to {@code stacks} for the
     * after-check, asserts its exit code and a clean teardown, and answers its {@code results.json}.
     */
    /**
     * A PR of its own for one run: the app domain derives from recipe, PR and ref, so runs of one class that share
     * a ref would otherwise serialise on one app lock. For classes whose runs go side by side.
     */
    public static String ownPr(String runId) {
        return "-Drecipeci.pr=" + RecipeCiProcess.TEST_JVM_PR + "-" + runId;
    }

    public static JsonNode results(
            Path runs, String runId, String prefix, List<String> stacks, int expectedExit, String... properties)
            throws IOException, InterruptedException {
        Outcome outcome = run(runs, runId, properties);
        stacks.addAll(stacks(outcome.output(), prefix));
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(expectedExit);
        JsonNode results = new ObjectMapper()
                .readTree(runs.resolve(runId).resolve("results.json").toFile());
        assertThat(results.path("clean_teardown").asBoolean())
                .as("clean teardown")
                .isTrue();
        return results;
    }

    /** The rung of {@code level} (L1…L5) in a run's results. */
    public static JsonNode rung(JsonNode results, String level) {
        for (JsonNode rung : results.path("rungs")) {
            if (rung.path("level").asText().equals(level)) {
                return rung;
            }
        }
        throw new AssertionError("no rung " + level + " in " + results);
    }
}
