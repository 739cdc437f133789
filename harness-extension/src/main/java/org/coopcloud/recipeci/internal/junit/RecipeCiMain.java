package org.coopcloud.recipeci.internal.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.log.ConsoleTee;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.recipe.lint.LintReport;
import org.coopcloud.recipeci.internal.report.Ladder;
import org.coopcloud.recipeci.internal.report.LeakScan;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.report.gitea.PullRequestReporter;
import org.coopcloud.recipeci.internal.run.RunFacts;
import org.coopcloud.recipeci.internal.run.RunSetup;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TagFilter;
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
 * failed, {@value #BAD_CONFIGURATION} configuration error; 143 (SIGTERM), 130 (SIGINT) or 142 (deadline) when the
 * lifetime guards cancelled the run — after its teardown.
 */
public final class RecipeCiMain {
    public static final int GREEN = 0;
    public static final int TESTS_FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;
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

    public int run() {
        RunConfig config;
        PullRequestReporter reporter;
        Lifetime lifetime;
        CancellationToken cancellation = CancellationToken.create();
        Thread main = Thread.currentThread();
        try {
            ConfigSource source = ConfigSource.ofSystem(properties, env);
            config = RunConfig.resolve(source, Optional.empty());
            RunLog log = new RunLog(out, Optional.of(config.runDir().resolve("logs")), secrets::redact);
            reporter = PullRequestReporter.resolve(source, config, secrets, log::info);
            // Guards first: nothing below may take a lock or deploy without them.
            lifetime = Lifetime.install(config.deadline(), log::info, () -> {
                cancellation.cancel();
                main.interrupt();
            });
        } catch (RecipeConfigurationException e) {
            out.println("recipe-ci: configuration error: " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        RunSetup setup;
        Optional<String> commitUnderTest;
        try {
            setup = RunSetup.prepare(config, secrets, env, Optional.of(lifetime), out);
        } catch (RecipeConfigurationException e) {
            return refused(config, lifetime, reporter, Optional.empty(), e.getMessage());
        }
        try (setup) {
            console.mirrorTo(config.runDir().resolve("logs").resolve("output.log"));
            try {
                commitUnderTest = setup.checkCodeUnderTest();
            } catch (RecipeConfigurationException e) {
                return refused(config, lifetime, reporter, Optional.empty(), e.getMessage());
            }
            return execute(setup, cancellation, lifetime, reporter, commitUnderTest);
        } finally {
            lifetime.close();
        }
    }

    /** A configuration error found while preparing: exit 2 — unless a signal or the deadline caused it. */
    private int refused(
            RunConfig config,
            Lifetime lifetime,
            PullRequestReporter reporter,
            Optional<String> commitUnderTest,
            String why) {
        lifetime.close();
        if (lifetime.exitOverride().isPresent()) {
            // Stopped by a signal or the deadline while checking, not misconfigured.
            writeExitCode(config, lifetime.exitOverride().getAsInt());
            return lifetime.exitOverride().getAsInt();
        }
        out.println("recipe-ci: configuration error: " + why);
        reporter.refused(commitUnderTest, why);
        return BAD_CONFIGURATION;
    }

    private int execute(
            RunSetup setup,
            CancellationToken cancellation,
            Lifetime lifetime,
            PullRequestReporter reporter,
            Optional<String> commitUnderTest) {
        RunConfig config = setup.config();
        Path reports = config.runDir().resolve("reports");
        try {
            Files.createDirectories(reports);
        } catch (IOException e) {
            String why = "cannot create the reports directory " + reports + ": " + e.getMessage()
                    + " — set recipeci.runs-dir to a writable directory";
            out.println("recipe-ci: configuration error: " + why);
            reporter.refused(commitUnderTest, why);
            return BAD_CONFIGURATION;
        }
        out.println("[recipe-ci] recipe " + config.recipe() + ", stages " + config.stages() + ", run " + config.runId()
                + "; reports in " + reports);

        LauncherConfig launcherConfig = LauncherConfig.builder()
                .addLauncherSessionListeners(new RunSession(setup))
                .build();
        try (LauncherSession session = LauncherFactory.openSession(launcherConfig)) {
            Launcher launcher = session.getLauncher();
            TierSelection selection = new TierSelection(config.recipe(), config.stages());
            TestPlan plan = launcher.discover(request(config, reports, selection));
            Optional<String> misnamed =
                    selection.unknownRecipes(setup.catalogue().known());
            if (misnamed.isPresent() || !plan.containsTests()) {
                String why = misnamed.orElse("no tier tests found for recipe '" + config.recipe() + "' and stages "
                        + config.stages()
                        + " — check recipeci.stages and that the recipe's tier classes are on the classpath");
                out.println("recipe-ci: configuration error: " + why);
                reporter.refused(commitUnderTest, why);
                return BAD_CONFIGURATION;
            }
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            TierOutcomes outcomes = new TierOutcomes();
            reporter.started(config, commitUnderTest);
            launcher.execute(LauncherExecutionRequestBuilder.request(plan)
                    .cancellationToken(cancellation)
                    .listeners(
                            summary,
                            outcomes,
                            new ProgressListener(out),
                            new LegacyXmlReportGeneratingListener(reports, new PrintWriter(out, true)))
                    .build());
            RunSummary result = RunSummary.of(
                    summary.getSummary(),
                    config,
                    reports,
                    lifetime.exitOverride().isPresent()
                            ? Optional.of(new RunSummary.Cancellation(
                                    lifetime.exitOverride().getAsInt(), lifetime.cause()))
                            : Optional.empty());
            RunResults results = results(setup, outcomes, result.exitCode(), reporter);
            result.print(out, results);
            reporter.finished(results, setup.stopped());
            writeExitCode(config, result.exitCode());
            return result.exitCode();
        }
    }

    /** The ladder and flags of the run, written as results.json and summary.md in the run directory. */
    private RunResults results(RunSetup setup, TierOutcomes outcomes, int exitCode, PullRequestReporter reporter) {
        RunConfig config = setup.config();
        Optional<RunFacts> facts = setup.facts();
        RunResults results = new RunResults(
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
                leaks(config, reporter),
                exitCode,
                facts.flatMap(RunFacts::lint));
        try {
            results.write(config.runDir());
        } catch (IOException e) {
            out.println("[recipe-ci] cannot write results.json in " + config.runDir() + ": " + e.getMessage());
        }
        return results;
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
     * Under Maven every non-zero exit becomes 1; the run's own code (0, 1, 2, 130, 142, 143) is kept in
     * {@code <run dir>/exit-code} for CI wrappers.
     */
    private void writeExitCode(RunConfig config, int code) {
        try {
            Files.createDirectories(config.runDir());
            Files.writeString(config.runDir().resolve("exit-code"), code + "\n");
        } catch (IOException e) {
            out.println("[recipe-ci] cannot write " + config.runDir().resolve("exit-code") + ": " + e.getMessage());
        }
    }

    static LauncherDiscoveryRequest request(RunConfig config, Path reports, TierSelection selection) {
        Set<Path> roots = Arrays.stream(
                        System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .filter(Files::isDirectory)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(GENERIC_TIERS))
                .selectors(selectClasspathRoots(roots))
                .filters(TagFilter.includeTags(Tier.TAG), selection)
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
