package org.coopcloud.recipeci.internal.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.jvm.ClassDataArchive;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.log.ConsoleTee;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;
import org.coopcloud.recipeci.internal.report.Ladder;
import org.coopcloud.recipeci.internal.report.LeakScan;
import org.coopcloud.recipeci.internal.report.ResultsFiles;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.report.gitea.PullRequestReporter;
import org.coopcloud.recipeci.internal.run.RunDirectory;
import org.coopcloud.recipeci.internal.run.RunFacts;
import org.coopcloud.recipeci.internal.run.RunSetup;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.coopcloud.recipeci.internal.text.FailureText;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherExecutionRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * The CI entrypoint: checks the configuration, prepares the run ({@link RunSetup}) and hands it to the extension
 * through the launcher session, selects the tier classes of the recipe, runs them with the JUnit Platform Launcher,
 * writes JUnit XML and Open Test Reporting XML, prints progress and a summary, reports to the pull request when
 * Gitea reporting is configured, and answers an exit code: {@value #GREEN} green, {@value #TESTS_FAILED} tests
 * failed, {@value #BAD_CONFIGURATION} configuration error, {@value #INTERNAL_ERROR} recipe-ci itself failed; 143
 * (SIGTERM), 130 (SIGINT), 129 (SIGHUP) or 142 (deadline) when the run was stopped — after its teardown.
 *
 * <p>Every way out goes through {@link #end}: the exit code is committed once, and once the run directory is known
 * {@code exit-code}, {@code results.json} and {@code summary.md} say how the run ended, with no stack trace on the
 * console. A signal may come at any instant: the lifetime guards are armed before anything else, and the main thread
 * is interrupted only while the run waits on the outside world (preparing, checking the code, running the tiers) —
 * never while JUnit discovers the tiers or the reports are written, which are short and run to their end.
 */
public final class RecipeCiMain {
    public static final int GREEN = 0;
    public static final int TESTS_FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;
    /** An exception escaped recipe-ci itself: a bug, or a host so broken that nothing could be judged. */
    public static final int INTERNAL_ERROR = 3;
    /** The generic tiers' package, named by string: the tiers sit above this layer (GenericTiersTest checks it). */
    static final String GENERIC_TIERS = "org.coopcloud.recipeci.tiers";

    static final String FIXTURE_TAG = "recipe-ci-it-fixture";

    private final PrintStream out;
    private final Properties properties;
    private final Map<String, String> env;
    private final RunSecrets secrets;
    private final ConsoleTee console;

    /**
     * @param secrets the run's secrets, which {@code console} already redacts
     * @param console the redacting console the entrypoint installed
     */
    public RecipeCiMain(
            PrintStream out, Properties properties, Map<String, String> env, RunSecrets secrets, ConsoleTee console) {
        this.out = out;
        this.properties = properties;
        this.env = env;
        this.secrets = secrets;
        this.console = console;
    }

    /** What the run has so far, for whichever way it ends. */
    private static final class Run {
        final Lifetime lifetime;
        final CancellationToken cancellation = CancellationToken.create();
        final Interruptions interruptions;
        RunConfig config;
        PullRequestReporter reporter = PullRequestReporter.off();
        volatile RunSetup setup;
        /** Where the entrypoint's class-data archive is (recipeci.class-data-archive); empty: none. */
        Optional<Path> classData = Optional.empty();

        Optional<String> commitUnderTest = Optional.empty();

        Run(Lifetime lifetime, Thread main) {
            this.lifetime = lifetime;
            this.interruptions = new Interruptions(main);
        }
    }

    public int run() {
        Lifetime lifetime;
        RunLog early = new RunLog(out, Optional.empty(), secrets::redact);
        try {
            // First of all: from here on a signal at any instant ends in the funnel, not in the JVM's default exit.
            lifetime = Lifetime.arm(early::info);
        } catch (RecipeConfigurationException e) {
            out.println("recipe-ci: configuration error: " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        armedForTests();
        Preload.start();
        Run run = new Run(lifetime, Thread.currentThread());
        lifetime.onCancel(() -> {
            run.cancellation.cancel();
            run.interruptions.interrupt();
            RunSetup setup = run.setup;
            if (setup != null) {
                setup.cancelPlanAhead(); // the plan made during discovery stops too, at once
            }
        });
        try {
            return start(run);
        } catch (Throwable t) {
            return crashed(run, t);
        } finally {
            lifetime.close();
        }
    }

    /**
     * The project's own ITs signal runs at random instants from the moment the guards are armed (before it, the JVM's
     * own handler ends the process at once: nothing of the run exists yet); they learn it from this file.
     */
    private static void armedForTests() {
        String file = System.getProperty("recipeci.it.armed-file");
        if (file != null && !file.isBlank()) {
            try {
                Files.writeString(Path.of(file), ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                // a test that waits for it says so
            }
        }
    }

    private int start(Run run) {
        ConfigSource source = ConfigSource.ofSystem(properties, env);
        try {
            run.config = RunConfig.resolve(source, Optional.empty());
        } catch (RecipeConfigurationException e) {
            // Its ending still goes where the run's would (a CI step reads the exit code there), if that resolves.
            run.config = RunConfig.forRefusal(source).orElse(null);
            return refused(run, e.getMessage());
        }
        RunConfig config = run.config;
        run.classData =
                source.lookup(ConfigKey.CLASS_DATA_ARCHIVE).map(f -> Path.of(f).toAbsolutePath());
        run.lifetime.startDeadline(config.deadline());
        try {
            run.reporter = PullRequestReporter.resolve(
                    source, config, secrets, new RunLog(out, Optional.empty(), secrets::redact)::info);
        } catch (RecipeConfigurationException e) {
            return refused(run, e.getMessage());
        }
        if (run.lifetime.cancelled()) {
            return stoppedBeforeTiers(run);
        }
        try {
            run.interruptions.enter();
            run.setup = RunSetup.prepare(config, secrets, env, Optional.of(run.lifetime), out);
        } catch (RecipeConfigurationException e) {
            run.interruptions.leave();
            return run.lifetime.cancelled() ? stoppedBeforeTiers(run) : refused(run, e.getMessage());
        }
        run.interruptions.leave();
        try (RunSetup setup = run.setup) {
            run.lifetime.logTo(setup.log()::info);
            console.mirrorTo(config.runDir().resolve("logs").resolve("output.log"));
            provisionalResults(config);
            if (run.lifetime.cancelled()) {
                return stoppedBeforeTiers(run);
            }
            try {
                run.interruptions.enter();
                run.commitUnderTest = setup.checkCodeUnderTest();
            } catch (RecipeConfigurationException e) {
                run.interruptions.leave();
                return run.lifetime.cancelled() ? stoppedBeforeTiers(run) : refused(run, e.getMessage());
            }
            run.interruptions.leave();
            if (run.lifetime.cancelled()) {
                return stoppedBeforeTiers(run);
            }
            return execute(run);
        }
    }

    private int execute(Run run) {
        RunSetup setup = run.setup;
        RunConfig config = setup.config();
        Path reports = config.runDir().resolve("reports");
        try {
            Files.createDirectories(reports);
        } catch (IOException e) {
            return refused(
                    run,
                    "cannot create the reports directory " + reports + ": " + e.getMessage()
                            + " — set recipeci.runs-dir to a writable directory");
        }
        out.println("[recipe-ci] recipe " + config.recipe() + ", stages " + config.stages() + ", run " + config.runId()
                + "; reports in " + reports);

        ListenerFailures.install(out);
        LauncherConfig launcherConfig = LauncherConfig.builder()
                .addLauncherSessionListeners(new RunSession(setup))
                .build();
        try (LauncherSession session = LauncherFactory.openSession(launcherConfig)) {
            Launcher launcher = session.getLauncher();
            TierSelection selection = new TierSelection(config.recipe(), config.stages());
            // Checkout, validation and lint on a thread of their own while JUnit reads the tier classes; the first
            // tier's deploy takes the plan, and the setup's close stops it if no tier does.
            setup.planAhead();
            // Not interruptible: an interrupt in the middle of reading class files is a discovery error with a trace,
            // not a stop. Discovery is short; a stop that came meanwhile is looked at right after it.
            TestPlan plan = launcher.discover(request(config, reports, selection));
            if (run.lifetime.cancelled()) {
                return stoppedBeforeTiers(run);
            }
            List<String> known = setup.catalogue().known();
            selection.unknownElsewhere(known).forEach(line -> setup.log().info(line));
            selection.untieredLines().forEach(line -> setup.log().warn(line));
            Optional<String> misnamed = selection.misnamedForThisRun(known);
            if (misnamed.isPresent() || !plan.containsTests()) {
                return refused(
                        run,
                        misnamed.orElse("no tier tests found for recipe '" + config.recipe() + "' and stages "
                                + config.stages()
                                + " — check recipeci.stages and that the recipe's tier classes are on the classpath"));
            }
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            TierOutcomes outcomes = new TierOutcomes();
            ConfigurationErrors configurationErrors = new ConfigurationErrors(run.cancellation);
            run.reporter.started(config, run.commitUnderTest);
            try {
                run.interruptions.enter();
                launcher.execute(LauncherExecutionRequestBuilder.request(plan)
                        .cancellationToken(run.cancellation)
                        // JUnit tells listeners of a finished test or plan last-registered first: the configuration
                        // error is seen before the progress line is printed, and the results' room is freed before
                        // the XML reports are written.
                        .listeners(
                                summary,
                                outcomes,
                                new ProgressListener(out, configurationErrors::found),
                                new LegacyXmlReportGeneratingListener(reports, ListenerFailures.withoutTraces(out)),
                                new ReleaseReserve(config.runDir()),
                                configurationErrors)
                        .build());
            } finally {
                run.interruptions.leave();
            }
            if (configurationErrors.found() && !run.lifetime.cancelled()) {
                // Found by the first tier's deploy: one line, as if found before the tiers, not one per test.
                return refused(run, configurationErrors.message());
            }
            RunSummary result = RunSummary.of(
                    summary.getSummary(),
                    config,
                    reports,
                    run.lifetime.exitOverride().isPresent()
                            ? Optional.of(new RunSummary.Cancellation(
                                    run.lifetime.exitOverride().getAsInt(), run.lifetime.cause()))
                            : Optional.empty(),
                    setup.facts().filter(f -> !f.teardownClean()).map(RunFacts::leftovers));
            int code = run.lifetime.finish(result.exitCode());
            RunResults results = results(setup, outcomes, code, run.reporter);
            writeEnding(config, results, code);
            result.print(out, results, code, run.lifetime.cause());
            run.reporter.finished(results, setup.stopped());
            try {
                ClassDataArchive.afterRun(run.classData, run.lifetime, setup.log(), code == GREEN);
            } catch (Throwable t) {
                // The result is committed and written: nothing after it may change it.
                setup.log().warn("class-data archive: " + FailureText.firstMeaningfulLine(t));
            }
            return code;
        }
    }

    /** The ladder and flags of the run, written as results.json and summary.md in the run directory. */
    private RunResults results(RunSetup setup, TierOutcomes outcomes, int exitCode, PullRequestReporter reporter) {
        RunConfig config = setup.config();
        Optional<RunFacts> facts = setup.facts();
        return new RunResults(
                config,
                Ladder.climb(
                                outcomes.results()::of,
                                config.stages(),
                                facts.flatMap(RunFacts::lint).map(LintReport::errorLines),
                                setup.stopped())
                        .redacted(secrets::redact),
                outcomes.results(),
                facts.flatMap(RunFacts::domain),
                facts.flatMap(RunFacts::installedVersion),
                facts.flatMap(RunFacts::testedVersion),
                facts.flatMap(RunFacts::codeUnderTest),
                facts.map(RunFacts::teardownClean).orElse(true),
                facts.map(RunFacts::leftovers).orElse(List.of()).stream()
                        .map(secrets::redact)
                        .toList(),
                leaks(config, reporter),
                exitCode,
                facts.flatMap(RunFacts::lint));
    }

    /** A configuration error: one line, exit 2 — unless a signal or the deadline came first, which then decides. */
    private int refused(Run run, String why) {
        if (run.lifetime.cancelled()) {
            return stoppedBeforeTiers(run);
        }
        int code = run.lifetime.finish(BAD_CONFIGURATION);
        if (code != BAD_CONFIGURATION) {
            return stoppedBeforeTiers(run);
        }
        out.println("recipe-ci: configuration error: " + why);
        end(run, "configuration error: " + why, code);
        run.reporter.refused(run.commitUnderTest, why);
        return code;
    }

    /** A signal or the deadline before the tiers ran: nothing was deployed, nothing to tear down. */
    private int stoppedBeforeTiers(Run run) {
        int code = run.lifetime.finish(run.lifetime.exitOverride().orElse(TESTS_FAILED));
        String why = run.lifetime.cause();
        out.println("recipe-ci: stopped before the tiers ran (" + why + "): nothing was deployed — exit " + code);
        end(run, "unverified: the run was stopped (" + why + ")", code);
        return code;
    }

    /** An exception escaped recipe-ci: one line on the console, the whole of it in the run's log directory. */
    private int crashed(Run run, Throwable t) {
        int code;
        try {
            code = run.lifetime.finish(INTERNAL_ERROR);
        } catch (Throwable again) {
            code = INTERNAL_ERROR;
        }
        try {
            String line = secrets.redact(FailureText.firstMeaningfulLine(t));
            Optional<Path> trace = crashTrace(run, t);
            out.println("recipe-ci: internal error: " + t.getClass().getSimpleName() + ": " + line
                    + trace.map(p -> " (the whole trace is in " + p + ")").orElse("")
                    + " — a recipe-ci bug, or a host too broken to judge anything; exit " + code);
            end(run, "unverified: recipe-ci failed: " + line, code);
        } catch (Throwable again) {
            // The console or the disk is gone: the exit code still says it.
        }
        return code;
    }

    private Optional<Path> crashTrace(Run run, Throwable t) {
        if (run.config == null) {
            return Optional.empty();
        }
        Path file = run.config.runDir().resolve("logs").resolve("crash.txt");
        try {
            Files.createDirectories(file.getParent());
            StringWriter text = new StringWriter();
            t.printStackTrace(new PrintWriter(text));
            Files.writeString(file, secrets.redact(text.toString()));
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes {@code results.json}, {@code summary.md} and {@code exit-code} for a run that ended before its tiers
     * could say anything, when the run directory can be had: the run's own, or — for an error found before the run
     * claimed it — claimed now, briefly, unless another live run holds it.
     */
    private void end(Run run, String why, int code) {
        if (run.config == null) {
            return;
        }
        RunConfig config = run.config;
        RunResults results = RunResults.notRun(config, secrets.redact(why), code);
        if (run.setup != null) {
            writeEnding(config, results, code);
            return;
        }
        try (RunDirectory claimed = RunDirectory.claim(config.runDir())) {
            ResultsFiles.reset(config.runDir());
            writeEnding(config, results, code);
        } catch (RecipeConfigurationException | IOException e) {
            // Held by a live run of the same id, or not writable: its files are not this run's to write.
        }
    }

    /** The run's results at the start: "did not finish", until the end replaces them. */
    private void provisionalResults(RunConfig config) {
        try {
            RunResults.notRun(
                            config,
                            "the run did not finish: recipe-ci was killed (SIGKILL?) or crashed before it wrote its"
                                    + " results",
                            RunResults.UNFINISHED)
                    .write(config.runDir());
        } catch (IOException e) {
            out.println("[recipe-ci] cannot write " + config.runDir().resolve("results.json") + ": " + e.getMessage());
        }
    }

    /**
     * {@code results.json}, {@code summary.md}, then {@code exit-code}, in the room reserved at the start. Under Maven
     * every non-zero exit becomes 1; the run's own code (0, 1, 2, 3, 129, 130, 142, 143) is in {@code exit-code}.
     */
    private void writeEnding(RunConfig config, RunResults results, int code) {
        Path runDir = config.runDir();
        ResultsFiles.release(runDir);
        try {
            results.write(runDir);
        } catch (IOException e) {
            out.println("[recipe-ci] cannot write " + runDir.resolve("results.json") + ": " + e.getMessage());
        }
        try {
            Files.createDirectories(runDir);
            ResultsFiles.writeExitCode(runDir, code);
        } catch (IOException e) {
            out.println("[recipe-ci] cannot write " + runDir.resolve("exit-code") + ": " + e.getMessage());
        }
    }

    private List<Path> leaks(RunConfig config, PullRequestReporter reporter) {
        List<Path> leaks = new ArrayList<>(LeakScan.leaks(config.runDir(), secrets.values()));
        reporter.tokenLeaks(config.runDir()).stream()
                .filter(p -> !leaks.contains(p))
                .forEach(leaks::add);
        if (console.secretPrinted()) {
            // Redacted on its way out, but printed all the same: a test or library handles secrets carelessly.
            leaks.add(config.runDir().resolve("logs").resolve("output.log"));
        }
        return leaks;
    }

    /**
     * Whether a stop may interrupt the main thread now: while the run waits on the outside world (a command, a wait,
     * the app lock), not while JUnit reads class files or writes reports — an interrupt there is an error with a
     * trace, not a stop. Leaving clears an interrupt that came in meanwhile.
     */
    static final class Interruptions {
        private final Thread main;
        private boolean inside;

        Interruptions(Thread main) {
            this.main = main;
        }

        synchronized void enter() {
            inside = true;
        }

        synchronized void leave() {
            inside = false;
            Thread.interrupted();
        }

        synchronized void interrupt() {
            if (inside) {
                main.interrupt();
            }
        }
    }

    /** Frees the room reserved for the run's results when the tiers are done, before the reports are written. */
    private record ReleaseReserve(Path runDir) implements TestExecutionListener {
        @Override
        public void testPlanExecutionFinished(TestPlan testPlan) {
            ResultsFiles.release(runDir);
        }
    }

    static LauncherDiscoveryRequest request(RunConfig config, Path reports, TierSelection selection) {
        return request(reports, selection, tierRoots(System.getProperty("java.class.path", ""), harnessClasses()));
    }

    /**
     * The class directories on {@code classPath} that may hold a recipe's tier classes: all but the harness's own
     * (a directory in a Maven build of this project, where JUnit would otherwise load its five hundred classes to look
     * for tests; its generic tiers are selected by package).
     */
    static Set<Path> tierRoots(String classPath, Optional<Path> harness) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize())
                .filter(Files::isDirectory)
                .filter(p -> harness.map(h -> !h.equals(p)).orElse(true))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Where the harness's classes were loaded from (a directory or a jar), if the JVM says. */
    private static Optional<Path> harnessClasses() {
        CodeSource source = RecipeCiMain.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty(); // then every directory is scanned, as before
        }
    }

    static LauncherDiscoveryRequest request(Path reports, TierSelection selection, Set<Path> roots) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(GENERIC_TIERS))
                .selectors(selectClasspathRoots(roots))
                // The selection first: JUnit stops at the first filter that excludes, and the selection must see the
                // classes without @Tier too (a class of this recipe without one is named, not silently dropped).
                .filters(selection, TagFilter.includeTags(Tier.TAG))
                // Test fixtures of the project's own ITs (tiers that hold a run or leak a secret on purpose).
                .filters(
                        Boolean.getBoolean("recipeci.it.fixtures")
                                ? TagFilter.includeTags(Tier.TAG)
                                : TagFilter.excludeTags(FIXTURE_TAG))
                .configurationParameter("junit.jupiter.testclass.order.default", TierClassOrderer.class.getName())
                .configurationParameter("junit.platform.reporting.open.xml.enabled", "true")
                .configurationParameter("junit.platform.reporting.output.dir", reports.toString())
                .build();
    }
}
