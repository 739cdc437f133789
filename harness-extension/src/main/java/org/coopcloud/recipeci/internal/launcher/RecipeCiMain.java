package org.coopcloud.recipeci.internal.launcher;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.Tier;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.deploy.DeployDriverFactory;
import org.coopcloud.recipeci.internal.deploy.GeneratedSecrets;
import org.coopcloud.recipeci.internal.lifecycle.RunDirectory;
import org.coopcloud.recipeci.internal.lifecycle.RunFacts;
import org.coopcloud.recipeci.internal.lifecycle.TierClassOrderer;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.GitCredentials;
import org.coopcloud.recipeci.internal.recipe.RecipeCatalogue;
import org.coopcloud.recipeci.internal.report.ConsoleTee;
import org.coopcloud.recipeci.internal.report.Ladder;
import org.coopcloud.recipeci.internal.report.LeakScan;
import org.coopcloud.recipeci.internal.report.RunLog;
import org.coopcloud.recipeci.internal.report.RunResults;
import org.coopcloud.recipeci.internal.report.TierOutcomes;
import org.coopcloud.recipeci.internal.report.gitea.PullRequestReporter;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherExecutionRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * The CI entrypoint: checks the configuration, selects the tier classes of the recipe, runs them with the JUnit
 * Platform Launcher, writes JUnit XML and Open Test Reporting XML, prints progress and a summary, reports to the
 * pull request when Gitea reporting is configured, and answers an exit code: {@value #GREEN} green,
 * {@value #TESTS_FAILED} tests failed, {@value #BAD_CONFIGURATION} configuration error; 143 (SIGTERM), 130 (SIGINT)
 * or 142 (deadline) when the lifetime guards cancelled the run — after its teardown.
 */
public final class RecipeCiMain {
    public static final int GREEN = 0;
    public static final int TESTS_FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;
    static final String GENERIC_TIERS = "org.coopcloud.recipeci.tiers";
    static final String FIXTURE_TAG = "recipe-ci-it-fixture";

    private final PrintStream out;
    private final Properties properties;
    private final Map<String, String> env;

    public RecipeCiMain(PrintStream out, Properties properties, Map<String, String> env) {
        this.out = out;
        this.properties = properties;
        this.env = env;
    }

    public int run() {
        RunConfig config;
        PullRequestReporter reporter;
        Lifetime lifetime;
        CancellationToken cancellation = CancellationToken.create();
        Thread main = Thread.currentThread();
        try {
            RunConfig.Source source = RunConfig.Source.ofSystem(properties, env);
            config = RunConfig.resolve(source, Optional.empty());
            reporter = PullRequestReporter.resolve(
                    source,
                    env,
                    config,
                    new RunLog(out, Optional.of(config.runDir().resolve("logs")), GeneratedSecrets::redactEverywhere)
                            ::info);
            // Guards first: nothing below may take a lock or deploy without them.
            RunLog guards = new RunLog(out, Optional.of(config.runDir().resolve("logs")));
            lifetime = Lifetime.install(config.deadline(), guards::info, () -> {
                cancellation.cancel();
                main.interrupt();
            });
        } catch (RecipeConfigurationException e) {
            out.println("recipe-ci: configuration error: " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        Optional<String> commitUnderTest;
        try {
            // Before anything is written into it: a second live run with the same id must not touch it.
            RunDirectory.claim(config.runDir());
            ConsoleTee.mirrorTo(config.runDir().resolve("logs").resolve("output.log"));
            commitUnderTest = checkCatalogue(config, env);
            checkDriver(config);
        } catch (RecipeConfigurationException e) {
            lifetime.close();
            if (lifetime.exitOverride().isPresent()) {
                // Stopped by a signal or the deadline while checking, not misconfigured.
                writeExitCode(config, lifetime.exitOverride().getAsInt());
                return lifetime.exitOverride().getAsInt();
            }
            out.println("recipe-ci: configuration error: " + e.getMessage());
            reporter.refused(Optional.empty(), e.getMessage());
            return BAD_CONFIGURATION;
        }
        try {
            return execute(config, cancellation, lifetime, reporter, commitUnderTest);
        } finally {
            lifetime.close();
        }
    }

    /**
     * The recipe and the requested version or ref exist (in the catalogue, or in {@code recipeci.src} with the
     * run's git token); any failure on the way is the host's configuration.
     *
     * @return the commit the run tests (the pull request's status goes on it), when it can be named before checkout
     */
    private static Optional<String> checkCatalogue(RunConfig config, Map<String, String> env) {
        GitCredentials credentials = GitCredentials.resolve(config, env);
        // Hidden from the console from now on, in case anything prints it.
        credentials.token().ifPresent(GeneratedSecrets::redactFromNowOn);
        try {
            return new RecipeCatalogue(config.home(), new CommandRunner(), credentials).validate(config);
        } catch (RecipeConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecipeConfigurationException(
                    "cannot read the recipe catalogue " + config.home().resolve("recipes")
                            + " ("
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()) + "): check"
                            + " that git is installed and the recipe's repository is readable",
                    e);
        }
    }

    /** The deploy driver exists and its target is usable (abra installed, a server configured, a swarm). */
    private static void checkDriver(RunConfig config) {
        try {
            DeployDriverFactory.forRun(config, new CommandRunner(), RunLog.consoleOnly())
                    .checkEnvironment();
        } catch (RecipeConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecipeConfigurationException(
                    "cannot check the deploy target of driver '" + config.driver() + "' ("
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()) + ")",
                    e);
        }
    }

    private int execute(
            RunConfig config,
            CancellationToken cancellation,
            Lifetime lifetime,
            PullRequestReporter reporter,
            Optional<String> commitUnderTest) {
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

        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request(config, reports));
        if (!plan.containsTests()) {
            String why = "no tier tests found for recipe '" + config.recipe() + "' and stages " + config.stages()
                    + " — check recipeci.stages and that the recipe's tier classes are on the classpath";
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
        RunResults results = results(config, outcomes, result.exitCode(), reporter);
        result.print(out, results);
        reporter.finished(results, stopped());
        writeExitCode(config, result.exitCode());
        return result.exitCode();
    }

    /** The ladder and flags of the run, written as results.json and summary.md in the run directory. */
    private RunResults results(RunConfig config, TierOutcomes outcomes, int exitCode, PullRequestReporter reporter) {
        Optional<RunFacts> facts = RunFacts.last();
        Optional<List<String>> lint = facts.flatMap(RunFacts::lint);
        RunResults results = new RunResults(
                config,
                Ladder.climb(outcomes::of, config.stages(), lint, stopped())
                        .redacted(GeneratedSecrets::redactEverywhere),
                outcomes,
                facts.flatMap(RunFacts::domain),
                facts.flatMap(RunFacts::installedVersion),
                facts.flatMap(RunFacts::testedVersion),
                facts.flatMap(RunFacts::codeUnderTest),
                facts.map(RunFacts::teardownClean).orElse(true),
                leaks(config, facts, reporter),
                exitCode);
        try {
            results.write(config.runDir());
        } catch (IOException e) {
            out.println("[recipe-ci] cannot write results.json in " + config.runDir() + ": " + e.getMessage());
        }
        return results;
    }

    /** Why a signal or the deadline stopped the run, if one did. */
    private static Optional<String> stopped() {
        return Lifetime.current().filter(Lifetime::cancelled).map(Lifetime::cause);
    }

    private static List<Path> leaks(RunConfig config, Optional<RunFacts> facts, PullRequestReporter reporter) {
        List<Path> leaks = new java.util.ArrayList<>(LeakScan.leaks(
                config.runDir(), facts.map(RunFacts::secretValues).orElse(List.of())));
        reporter.tokenLeaks(config.runDir()).stream()
                .filter(p -> !leaks.contains(p))
                .forEach(leaks::add);
        if (ConsoleTee.secretPrinted()) {
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

    static LauncherDiscoveryRequest request(RunConfig config, Path reports) {
        Set<Path> roots = Arrays.stream(
                        System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .filter(Files::isDirectory)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(GENERIC_TIERS))
                .selectors(selectClasspathRoots(roots))
                .filters(TagFilter.includeTags(Tier.TAG), new TierSelection(config.recipe(), config.stages()))
                // Test fixtures of the project's own ITs (tiers that hold a run or leak a secret on purpose).
                .filters(
                        Boolean.getBoolean("recipeci.it.fixtures")
                                ? TagFilter.includeTags(Tier.TAG)
                                : TagFilter.excludeTags(FIXTURE_TAG))
                .configurationParameters(config.asParameters())
                .configurationParameter("junit.jupiter.testclass.order.default", TierClassOrderer.class.getName())
                .configurationParameter("junit.platform.reporting.open.xml.enabled", "true")
                .configurationParameter("junit.platform.reporting.output.dir", reports.toString())
                .build();
    }
}
