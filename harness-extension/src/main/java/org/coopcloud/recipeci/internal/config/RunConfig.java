package org.coopcloud.recipeci.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Version;

/**
 * Everything a run is configured with, read once through {@link ConfigKey}'s table. Precedence: an explicit
 * override (the {@code @RecipeTest} annotation) → {@code recipeci.*} configuration parameters (which include
 * {@code -D} system properties and {@code junit-platform.properties}) → {@code RECIPECI_*} and CI environment
 * variables → defaults. Tests build it directly ({@link #of}, then the {@code with…} methods).
 *
 * @param code what the run tests
 * @param stages the tiers to run
 * @param deadline hard limit of the whole run
 * @param teardownBudget limit of the whole teardown (stopping children, evidence, removing the app, the residual
 *     check): well under the CI step's grace, so that a run stopped by its CI system has torn down — or said what is
 *     left for the next janitor — before it is killed
 * @param paths where the run keeps things on this host
 * @param driver the deploy driver and its own settings
 * @param keepOnFailure keep a failed run's app for debugging instead of tearing it down
 */
public record RunConfig(
        RunId runId,
        CodeUnderTest code,
        Set<Stage> stages,
        Duration deadline,
        Duration teardownBudget,
        RunPaths paths,
        DriverSettings driver,
        boolean keepOnFailure) {

    static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(60);
    /** Well under the 180 s a Drone step is given between TERM and KILL (CI_STEP_GRACE_SECONDS). */
    public static final Duration DEFAULT_TEARDOWN_BUDGET = Duration.ofSeconds(120);
    /** Shorter than any run needs to deploy an app and tear it down: such a run could only end at its deadline. */
    static final Duration MIN_DEADLINE = Duration.ofSeconds(30);
    /** Longer than any CI system lets a build run; a larger value is a typo. */
    static final Duration MAX_DEADLINE = Duration.ofDays(7);

    public RunConfig {
        if (stages.isEmpty()) {
            throw new RecipeConfigurationException(
                    "no stage selected: name at least one of install, upgrade, backup, restore, custom");
        }
        stages = Collections.unmodifiableSet(EnumSet.copyOf(stages));
        if (stages.contains(Stage.RESTORE) && !stages.contains(Stage.BACKUP)) {
            throw new RecipeConfigurationException("stage restore restores the backup the backup stage takes: add"
                    + " backup to recipeci.stages (e.g. backup,restore)");
        }
        if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new RecipeConfigurationException("recipeci.deadline " + human(deadline) + " is out of range: give"
                    + " the run between 30s and 7 days (default 60m)");
        }
        if (teardownBudget.compareTo(Duration.ofSeconds(5)) < 0 || teardownBudget.compareTo(Duration.ofHours(1)) > 0) {
            throw new RecipeConfigurationException(
                    "recipeci.teardown-budget " + human(teardownBudget) + " is out of range:"
                            + " give the teardown between 5 seconds and an hour (default 120s, under the CI step's 180 s"
                            + " grace)");
        }
    }

    /** A run of {@code recipe}'s default branch, every stage, with {@code paths}; the rest at defaults. */
    public static RunConfig of(RecipeName recipe, RunPaths paths) {
        return new RunConfig(
                RunId.manual(),
                CodeUnderTest.defaultBranch(recipe),
                EnumSet.allOf(Stage.class),
                DEFAULT_DEADLINE,
                DEFAULT_TEARDOWN_BUDGET,
                paths,
                DriverSettings.named(DriverSettings.DEFAULT),
                false);
    }

    public RunConfig withRunId(RunId id) {
        return new RunConfig(id, code, stages, deadline, teardownBudget, paths, driver, keepOnFailure);
    }

    public RunConfig withCode(CodeUnderTest what) {
        return new RunConfig(runId, what, stages, deadline, teardownBudget, paths, driver, keepOnFailure);
    }

    public RunConfig withStages(Set<Stage> tiers) {
        return new RunConfig(runId, code, tiers, deadline, teardownBudget, paths, driver, keepOnFailure);
    }

    public RunConfig withDeadline(Duration limit) {
        return new RunConfig(runId, code, stages, limit, teardownBudget, paths, driver, keepOnFailure);
    }

    public RunConfig withTeardownBudget(Duration budget) {
        return new RunConfig(runId, code, stages, deadline, budget, paths, driver, keepOnFailure);
    }

    public RunConfig withPaths(RunPaths where) {
        return new RunConfig(runId, code, stages, deadline, teardownBudget, where, driver, keepOnFailure);
    }

    public RunConfig withDriver(DriverSettings settings) {
        return new RunConfig(runId, code, stages, deadline, teardownBudget, paths, settings, keepOnFailure);
    }

    public RunConfig withKeepOnFailure(boolean keep) {
        return new RunConfig(runId, code, stages, deadline, teardownBudget, paths, driver, keep);
    }

    /** The recipe under test. */
    public RecipeName recipe() {
        return code.recipe();
    }

    /** The directory of this run: reports, logs and the recipe working trees. */
    public Path runDir() {
        return paths.runsDir().resolve(runId.value());
    }

    /**
     * Reads the configuration; {@code recipeOverride} (from an annotation) wins over every other source.
     *
     * @throws RecipeConfigurationException naming the key to fix, also for a key that is not in the table
     */
    public static RunConfig resolve(ConfigSource source, Optional<String> recipeOverride) {
        source.requireKnownKeys();
        String recipe = recipeOverride
                .filter(r -> !r.isBlank())
                .or(() -> source.lookup(ConfigKey.RECIPE))
                .orElseThrow(() -> new RecipeConfigurationException("no recipe given: pass -Drecipe=NAME (e.g."
                        + " `mvn verify -Drecipe=hello`), set recipeci.recipe in junit-platform.properties,"
                        + " set RECIPECI_RECIPE, or use @RecipeTest(recipe = \"NAME\")"));
        Path home = home(source);
        String driver = source.lookup(ConfigKey.DRIVER).orElse(DriverSettings.DEFAULT);
        Map<ConfigKey, String> driverOptions = new EnumMap<>(ConfigKey.class);
        // The driver's own rows, how test traffic reaches its apps and which host paths a recipe may mount (the
        // docker layer reads them for every driver).
        for (ConfigKey key : ConfigKey.settingsOf(driver)) {
            source.lookup(key).ifPresent(v -> driverOptions.put(key, v));
        }
        for (ConfigKey key : new ConfigKey[] {ConfigKey.FRONT_DOOR, ConfigKey.HOST_MOUNTS}) {
            source.lookup(key).ifPresent(v -> driverOptions.put(key, v));
        }
        return new RunConfig(
                source.lookup(ConfigKey.RUN_ID).map(RunId::new).orElseGet(RunId::manual),
                new CodeUnderTest(
                        new RecipeName(recipe),
                        source.lookup(ConfigKey.VERSION).map(Version::new),
                        source.lookup(ConfigKey.REF),
                        source.lookup(ConfigKey.SRC).map(SourceRepository::new),
                        source.lookup(ConfigKey.GIT_TOKEN_FILE).map(Path::of),
                        source.lookup(ConfigKey.PR).orElse("0")),
                source.lookup(ConfigKey.STAGES).map(RunConfig::parseStages).orElse(EnumSet.allOf(Stage.class)),
                source.lookup(ConfigKey.DEADLINE).map(RunConfig::parseDuration).orElse(DEFAULT_DEADLINE),
                source.lookup(ConfigKey.TEARDOWN_BUDGET)
                        .map(v -> parseDuration(ConfigKey.TEARDOWN_BUDGET, v))
                        .orElse(DEFAULT_TEARDOWN_BUDGET),
                new RunPaths(
                        home,
                        runsDir(source, home),
                        source.lookup(ConfigKey.LOCK_DIR)
                                .map(v -> directory(source, v))
                                .orElse(Path.of("/run/lock")),
                        source.lookup(ConfigKey.DOMAIN_SUFFIX).orElse(RunPaths.DEFAULT_DOMAIN_SUFFIX)),
                new DriverSettings(driver, driverOptions),
                source.lookup(ConfigKey.KEEP_ON_FAILURE)
                        .map(v -> parseBoolean(ConfigKey.KEEP_ON_FAILURE, v))
                        .orElse(false));
    }

    private static Path home(ConfigSource source) {
        return source.lookup(ConfigKey.HOME)
                .map(v -> directory(source, v))
                .orElse(Path.of(System.getProperty("user.home"), ".recipe-ci"));
    }

    private static Path runsDir(ConfigSource source, Path home) {
        return source.lookup(ConfigKey.RUNS_DIR).map(v -> directory(source, v)).orElse(home.resolve("runs"));
    }

    /**
     * A directory setting; a relative one under Maven is relative to the project's root (where {@code mvn} and a CI
     * step's {@code --exit-code-file} are), not to the module directory the forked harness runs in.
     */
    private static Path directory(ConfigSource source, String value) {
        Path path = Path.of(value);
        String root = source.env().getOrDefault("MAVEN_PROJECTBASEDIR", "");
        return path.isAbsolute() || root.isBlank() ? path : Path.of(root).resolve(path);
    }

    /**
     * Where a run refused before its configuration resolved writes its ending ({@code results.json}, {@code summary.md}
     * and {@code exit-code}, which a CI step reads: Maven turns every failure into 1): the recipe, the run id, the runs
     * directory and the stages as given (every stage when they are what is wrong), the rest at their defaults. Empty
     * when the recipe, the run id or the runs directory do not resolve themselves: then no run directory is this run's.
     */
    public static Optional<RunConfig> forRefusal(ConfigSource source) {
        try {
            Optional<RecipeName> recipe = source.lookup(ConfigKey.RECIPE).map(RecipeName::new);
            if (recipe.isEmpty() || misspeltWhereTheRunGoes(source)) {
                return Optional.empty();
            }
            Path home = home(source);
            RunConfig config = RunConfig.of(
                            recipe.get(),
                            new RunPaths(
                                    home, runsDir(source, home), Path.of("/run/lock"), RunPaths.DEFAULT_DOMAIN_SUFFIX))
                    .withRunId(source.lookup(ConfigKey.RUN_ID).map(RunId::new).orElseGet(RunId::manual));
            try {
                config = config.withStages(source.lookup(ConfigKey.STAGES)
                        .map(RunConfig::parseStages)
                        .orElse(config.stages()));
            } catch (RecipeConfigurationException e) {
                // the refusal itself, perhaps: every stage, none of them run
            }
            return Optional.of(config);
        } catch (RecipeConfigurationException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * A misspelt run id, runs directory or home ({@code -Drecipeci.runs_dir}, {@code RECIPECI_RUNID}): the directory
     * its caller looks in is not the one the defaults give.
     */
    private static boolean misspeltWhereTheRunGoes(ConfigSource source) {
        Set<String> where = new HashSet<>();
        for (ConfigKey key : new ConfigKey[] {ConfigKey.RUN_ID, ConfigKey.RUNS_DIR, ConfigKey.HOME}) {
            where.add(key.key());
            where.addAll(key.envNames());
        }
        return source.unknownKeys().stream()
                .filter(k -> k.contains(".") || k.startsWith("RECIPECI_"))
                .anyMatch(k -> where.contains(ConfigKey.closest(k)));
    }

    static Set<Stage> parseStages(String csv) {
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        for (String name :
                Arrays.stream(csv.split(",")).filter(s -> !s.isBlank()).toList()) {
            if (!stages.add(Stage.parse(name))) {
                throw new RecipeConfigurationException("recipeci.stages '" + csv + "' names " + name.strip()
                        + " twice: name each stage once (e.g. install,upgrade)");
            }
        }
        if (stages.isEmpty()) {
            throw new RecipeConfigurationException(
                    "recipeci.stages is empty: name at least one of install, upgrade, backup, restore, custom");
        }
        return stages;
    }

    /** A duration the way the keys take it ({@code 48h}, {@code 90s}), not ISO-8601's {@code PT48H}. */
    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** Durations as {@code 90s}, {@code 45m}, {@code 2h}, or ISO-8601 ({@code PT1H}). */
    public static Duration parseDuration(String text) {
        return parseDuration(ConfigKey.DEADLINE, text);
    }

    /** {@link #parseDuration(String)} for {@code key}, whose name the message gives. */
    static Duration parseDuration(ConfigKey key, String text) {
        Matcher m = Pattern.compile("(\\d{1,9})\\s*([smh])").matcher(text.trim().toLowerCase(Locale.ROOT));
        try {
            Duration d = m.matches()
                    ? Duration.of(
                            Long.parseLong(m.group(1)),
                            switch (m.group(2)) {
                                case "s" -> ChronoUnit.SECONDS;
                                case "m" -> ChronoUnit.MINUTES;
                                default -> ChronoUnit.HOURS;
                            })
                    : Duration.parse(text.trim());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new RecipeConfigurationException(key + " '" + text + "' is not a duration: use e.g. 60m, 90s or 2h");
    }

    private static boolean parseBoolean(ConfigKey key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default ->
                throw new RecipeConfigurationException(
                        key + " '" + text + "' is not a yes/no value: use true or false");
        };
    }
}
