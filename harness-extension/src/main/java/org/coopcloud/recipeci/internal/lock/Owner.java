package org.coopcloud.recipeci.internal.lock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.internal.config.RunConfig;

/**
 * Who owns an app on the swarm: the {@link RunnerId} of the run that created it and the run's id. Every object a run
 * creates carries it — labels on the stack's services, volumes, networks and configs, on the secrets and the edge
 * container the harness makes, and two lines of the app's env file — so that a janitor can tell its own runner's
 * apps, whose owners it can prove dead, from another runner's, which it leaves alone.
 */
public record Owner(RunnerId runner, String runId) {
    public static final String RUNNER_LABEL = "org.coopcloud.recipeci.runner";
    public static final String RUN_LABEL = "org.coopcloud.recipeci.run";
    /** Keys of the app's env file (compose never reads them). */
    public static final String RUNNER_ENV = "RECIPE_CI_RUNNER";

    public static final String RUN_ENV = "RECIPE_CI_RUN";

    /** The owner of the apps of the run {@code config} describes. */
    public static Owner of(RunConfig config) {
        return new Owner(RunnerId.of(config.paths().lockDir()), config.runId().value());
    }

    public static Owner of(RunnerId runner, RunId run) {
        return new Owner(runner, run.value());
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RUNNER_LABEL, runner.value());
        labels.put(RUN_LABEL, runId);
        return labels;
    }

    /** The env file's lines of the owner. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(RUNNER_ENV, runner.value());
        env.put(RUN_ENV, runId);
        return env;
    }

    /** {@code --label k=v} arguments for a docker command that creates something. */
    public List<String> labelArgs() {
        List<String> args = new ArrayList<>();
        labels().forEach((k, v) -> {
            args.add("--label");
            args.add(k + "=" + v);
        });
        return args;
    }

    /** The owner named by labels or env values ({@code RUNNER_*}, {@code RUN_*}); empty when they name none. */
    public static Optional<Owner> from(Map<String, String> values, String runnerKey, String runKey) {
        return Optional.ofNullable(values.get(runnerKey))
                .flatMap(RunnerId::parse)
                .map(r -> new Owner(r, Optional.ofNullable(values.get(runKey)).orElse("?")));
    }

    public static Optional<Owner> fromLabels(Map<String, String> labels) {
        return from(labels, RUNNER_LABEL, RUN_LABEL);
    }

    public static Optional<Owner> fromEnv(Map<String, String> env) {
        return from(env, RUNNER_ENV, RUN_ENV);
    }

    @Override
    public String toString() {
        return "runner " + runner + " (run " + runId + ")";
    }
}
