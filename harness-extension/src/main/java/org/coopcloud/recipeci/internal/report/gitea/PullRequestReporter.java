package org.coopcloud.recipeci.internal.report.gitea;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.report.LeakScan;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * Reports a run to its pull request on Gitea: a {@code pending} commit status with the build link when the tiers
 * start; at the end the final status and the run's comment (created, or updated when the run already has one).
 *
 * <p>Reporting never changes the run's outcome and never holds it up for long: each request has the configured
 * timeout, each of the two reports a bound of {@value #REQUESTS_PER_REPORT} timeouts, and a server that does not
 * answer at all ends the report at once. Every failure is one log line — method and URL, never the token. The
 * reports run on a daemon thread, so they also work while a stopped run shuts down, and an interrupt of the
 * caller does not cut them short.
 */
public final class PullRequestReporter {
    static final int REQUESTS_PER_REPORT = 4;

    private final Optional<GiteaConfig> config;
    private final RunSecrets secrets;
    private final Consumer<String> log;
    private volatile Optional<String> tested = Optional.empty();
    private volatile Optional<String> sha = Optional.empty();
    private volatile boolean shaIsTheHead;

    private PullRequestReporter(Optional<GiteaConfig> config, RunSecrets secrets, Consumer<String> log) {
        this.config = config;
        this.secrets = secrets;
        this.log = log;
    }

    /** A reporter that reports nothing (reporting is not configured). */
    public static PullRequestReporter off() {
        return new PullRequestReporter(Optional.empty(), new RunSecrets(), line -> {});
    }

    /**
     * Reads the reporting configuration ({@link GiteaConfig#resolve}) and, when it is on, registers the token for
     * redaction: from now on no console or log line shows it.
     *
     * @throws org.coopcloud.recipeci.RecipeConfigurationException when reporting is configured but unusable
     */
    public static PullRequestReporter resolve(
            ConfigSource source, RunConfig run, RunSecrets secrets, Consumer<String> log) {
        return GiteaConfig.resolve(source, source.env(), run)
                .map(c -> to(c, secrets, log))
                .orElseGet(PullRequestReporter::off);
    }

    static PullRequestReporter to(GiteaConfig config, RunSecrets secrets, Consumer<String> log) {
        secrets.remember(config.token().value());
        return new PullRequestReporter(Optional.of(config), secrets, log);
    }

    /**
     * Sets the {@code pending} status on the commit under test: {@code recipeci.gitea.sha} when set, else the
     * commit the run resolved and tests, else (when the run could not say) the pull request's head.
     *
     * @param commitUnderTest the full id of the commit the run checks out and tests
     */
    public void started(RunConfig run, Optional<String> commitUnderTest) {
        tested = commitUnderTest.filter(s -> s.matches("[0-9a-f]{40}|[0-9a-f]{64}"));
        config.ifPresent(c -> report("pending", c, client -> {
            Optional<String> commit = commit(c, client);
            if (commit.isPresent()) {
                client.createStatus(commit.get(), Verdict.pending(run));
                log.accept("reported pending to " + where(c) + " (commit "
                        + commit.get().substring(0, 10) + ")");
            }
        }));
    }

    /**
     * Sets an {@code error} status saying why the run stopped before its tiers, for a configuration error found
     * once reporting was set up (an unknown ref, no tier classes): the pull request shows it instead of nothing.
     * No comment: there are no results to summarise.
     *
     * @param commitUnderTest the commit the run would have tested, when it got as far as naming it
     */
    public void refused(Optional<String> commitUnderTest, String why) {
        tested = commitUnderTest.filter(s -> s.matches("[0-9a-f]{40}|[0-9a-f]{64}"));
        config.ifPresent(c -> report("final", c, client -> {
            Optional<String> commit = commit(c, client);
            if (commit.isPresent()) {
                client.createStatus(commit.get(), Verdict.refused(secrets.redact(why)));
                log.accept("reported error to " + where(c) + " (the configuration error)");
            }
        }));
    }

    /**
     * Sets the final status and creates or updates the run's comment.
     *
     * @param stopped why a signal or the deadline stopped the run, if one did
     */
    public void finished(RunResults results, Optional<String> stopped) {
        config.ifPresent(c -> report("final", c, client -> {
            Verdict verdict = Verdict.of(results, stopped);
            Optional<String> commit = commit(c, client);
            if (commit.isPresent()) {
                try {
                    client.createStatus(commit.get(), verdict);
                } catch (GiteaClient.GiteaCallFailed e) {
                    if (e.unreachable()) {
                        throw e;
                    }
                    log.accept("!! " + where(c) + ": no final commit status: " + e.getMessage());
                }
            }
            Optional<String> notTheHead = commit.isPresent() ? notTheHead(client, commit.get()) : Optional.empty();
            notTheHead.ifPresent(note -> log.accept("!! " + where(c) + ": " + note));
            String body =
                    PullRequestComment.body(c.context(), results, stopped, notTheHead, c.buildUrl(), secrets::redact);
            Optional<GiteaClient.Comment> existing = client.comments().stream()
                    .filter(comment -> PullRequestComment.isOf(
                            comment.body(), c.context(), results.config().runId()))
                    .findFirst();
            if (existing.isPresent()) {
                client.editComment(existing.get().id(), body);
            } else {
                client.createComment(body);
            }
            log.accept("reported " + verdict.state().apiValue() + " to " + where(c) + " ("
                    + (existing.isPresent() ? "updated" : "posted") + " the run's comment)");
        }));
    }

    /** The files of the run directory that contain the token; empty when reporting is off or nothing leaked. */
    public List<Path> tokenLeaks(Path runDir) {
        return config.map(c -> LeakScan.leaks(runDir, List.of(c.token().value())))
                .orElse(List.of());
    }

    /**
     * Why the status will not show on the pull request, when the tested commit is not (or no longer) its head: the
     * author pushed during the run, or the run tested another ref. An unanswered question is no note.
     */
    private Optional<String> notTheHead(GiteaClient client, String tested) throws GiteaClient.GiteaCallFailed {
        if (shaIsTheHead) {
            return Optional.empty();
        }
        String head;
        try {
            head = client.headSha();
        } catch (GiteaClient.GiteaCallFailed e) {
            if (e.unreachable()) {
                throw e;
            }
            return Optional.empty();
        }
        return head.equals(tested)
                ? Optional.empty()
                : Optional.of("this run tested commit " + tested.substring(0, 12) + ", but the pull request's head is"
                        + " now " + head.substring(0, 12) + ": the status is on the tested commit, and the head has"
                        + " no result from this run");
    }

    private Optional<String> commit(GiteaConfig c, GiteaClient client) throws GiteaClient.GiteaCallFailed {
        if (sha.isEmpty()) {
            sha = c.sha().or(() -> tested);
        }
        if (sha.isEmpty()) {
            try {
                // Only when the run could not name its commit: the head now is the best guess of what it tests.
                sha = Optional.of(client.headSha());
                shaIsTheHead = true;
            } catch (GiteaClient.GiteaCallFailed e) {
                if (e.unreachable()) {
                    throw e;
                }
                log.accept("!! " + where(c) + ": no commit status (set recipeci.gitea.sha to name the commit): "
                        + e.getMessage());
            }
        }
        return sha;
    }

    private interface Report {
        void run(GiteaClient client) throws GiteaClient.GiteaCallFailed;
    }

    /** Runs one report on a daemon thread and waits for it, at most {@value #REQUESTS_PER_REPORT} timeouts. */
    private void report(String name, GiteaConfig c, Report work) {
        // Once the caller has given up (and said so), a late failure of the abandoned request stays silent.
        AtomicBoolean abandoned = new AtomicBoolean();
        Consumer<String> failure = line -> {
            if (!abandoned.get()) {
                log.accept("!! " + where(c) + ": " + name + " report " + line);
            }
        };
        Thread thread = new Thread(
                () -> {
                    try {
                        work.run(new GiteaClient(c));
                    } catch (GiteaClient.GiteaCallFailed e) {
                        failure.accept("not sent — " + e.getMessage()
                                + (e.unreachable() ? "; the rest of this report is skipped" : ""));
                    } catch (RuntimeException e) {
                        failure.accept("failed: " + e);
                    }
                },
                "recipe-ci-gitea-" + name);
        thread.setDaemon(true);
        thread.start();
        Duration bound = c.timeout().multipliedBy(REQUESTS_PER_REPORT);
        long deadline = System.nanoTime() + bound.toNanos();
        boolean interrupted = false;
        long left;
        while (thread.isAlive() && (left = deadline - System.nanoTime()) > 0) {
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                // A late signal: the report carries on to its bound; the interrupt is handed back afterwards.
                interrupted = true;
            }
        }
        if (thread.isAlive()) {
            abandoned.set(true);
            thread.interrupt();
            log.accept("!! " + where(c) + ": " + name + " report gave up after " + bound.toSeconds()
                    + " s; the run's result is unchanged");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String where(GiteaConfig c) {
        return "Gitea " + c.owner() + "/" + c.repo() + "#" + c.pullRequest();
    }
}
