package org.coopcloud.recipeci.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RunId;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Version;

/**
 * Everything a run is configured with, read once. Precedence: an explicit override (e.g. the {@code @RecipeTest}
 * annotation) → {@code recipeci.*} configuration parameters (which include {@code -D} system properties and
 * {@code junit-platform.properties}) → {@code RECIPECI_*} and CI environment variables → defaults. Tests build it
 * directly with the canonical constructor.
 *
 * @param src where the code under test is fetched from when it is not the catalogue's repository (a pull request's
 *     repository); {@code ref} and {@code version} then name what to take from it
 * @param gitTokenFile a file holding the token for {@code src}; without it the token comes from the environment
 *     variable {@code RECIPECI_GIT_TOKEN}. The token itself is never part of the configuration.
 * @param abraHome the abra driver's canonical abra directory (default {@code ~/.abra})
 * @param abraServer the abra driver's server (default: the only one configured in {@code <abraHome>/servers})
 */
public record RunConfig(
        RecipeName recipe,
        Optional<Version> version,
        Optional<String> ref,
        Set<Stage> stages,
        RunId runId,
        Path runsDir,
        Path home,
        Path lockDir,
        String domainSuffix,
        String pr,
        String driver,
        boolean keepOnFailure,
        Duration deadline,
        Optional<SourceRepository> src,
        Optional<Path> gitTokenFile,
        Optional<Path> abraHome,
        Optional<String> abraServer) {

    public static final String DEFAULT_DOMAIN_SUFFIX = "ci.commoninternet.net";

    /** A configuration without a pull request's repository and without driver-specific settings. */
    public RunConfig(
            RecipeName recipe,
            Optional<Version> version,
            Optional<String> ref,
            Set<Stage> stages,
            RunId runId,
            Path runsDir,
            Path home,
            Path lockDir,
            String domainSuffix,
            String pr,
            String driver,
            boolean keepOnFailure,
            Duration deadline) {
        this(
                recipe,
                version,
                ref,
                stages,
                runId,
                runsDir,
                home,
                lockDir,
                domainSuffix,
                pr,
                driver,
                keepOnFailure,
                deadline,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public RunConfig {
        if (stages.isEmpty()) {
            throw new RecipeConfigurationException(
                    "no stage selected: name at least one of install, upgrade," + " backup, restore, custom");
        }
        stages = java.util.Collections.unmodifiableSet(EnumSet.copyOf(stages));
        if (stages.contains(Stage.RESTORE) && !stages.contains(Stage.BACKUP)) {
            throw new RecipeConfigurationException("stage restore restores the backup the backup stage takes: add"
                    + " backup to recipeci.stages (e.g. backup,restore)");
        }
        if (deadline.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new RecipeConfigurationException("recipeci.deadline " + deadline + " is too short: give the run at"
                    + " least a second (default 60m)");
        }
        if (version.isPresent() && ref.isPresent()) {
            throw new RecipeConfigurationException("both recipeci.version (" + version.get() + ") and recipeci.ref ("
                    + ref.get() + ") are set: choose one — a released version or a git ref of the code under test");
        }
        ref.ifPresent(RunConfig::checkRef);
        if (!domainSuffix.matches("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")) {
            throw new RecipeConfigurationException("recipeci.domain-suffix '" + domainSuffix
                    + "' is not a domain: use dot-separated lowercase labels (e.g. 'ci.example.org')");
        }
        if (!pr.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new RecipeConfigurationException(
                    "recipeci.pr '" + pr + "' is not a pull-request id: use the PR number");
        }
        if (!driver.matches("[a-z][a-z0-9-]{0,30}")) {
            throw new RecipeConfigurationException("recipeci.driver '" + driver + "' is not a driver name: use"
                    + " lowercase letters, digits and '-' (e.g. 'swarm')");
        }
        abraServer.ifPresent(server -> {
            if (!server.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}")) {
                throw new RecipeConfigurationException("recipeci.abra-server '" + server + "' is not a server name:"
                        + " use the name of a directory under <abra home>/servers (e.g. 'default')");
            }
        });
    }

    /**
     * Where configuration values come from; {@link #lookup} answers a key in the {@code recipeci.*} namespace. The
     * short {@code recipe}, {@code stages} and {@code driver} parameters are aliases of {@code recipeci.recipe},
     * {@code recipeci.stages} and {@code recipeci.driver}; blank values count as unset.
     */
    public interface Source {
        Optional<String> lookup(String key);

        static Source of(Function<String, Optional<String>> parameters, Map<String, String> env) {
            return key -> {
                Optional<String> value = parameters
                        .apply(key)
                        .filter(v -> !v.isBlank())
                        .or(() -> parameters.apply(shortAlias(key)).filter(v -> !v.isBlank()));
                if (value.isPresent()) {
                    return value.map(String::trim);
                }
                for (String name : envNames(key)) {
                    String fromEnv = env.get(name);
                    if (fromEnv != null && !fromEnv.isBlank()) {
                        return Optional.of(fromEnv.trim());
                    }
                }
                return Optional.empty();
            };
        }

        /** System properties as the parameters. */
        static Source ofSystem(java.util.Properties properties, Map<String, String> env) {
            return of(key -> Optional.ofNullable(properties.getProperty(key)), env);
        }
    }

    /** Reads the configuration; {@code recipeOverride} (from an annotation) wins over every other source. */
    public static RunConfig resolve(Source source, Optional<String> recipeOverride) {
        String recipe = recipeOverride
                .filter(r -> !r.isBlank())
                .or(() -> source.lookup("recipeci.recipe"))
                .orElseThrow(() -> new RecipeConfigurationException("no recipe given: pass -Drecipe=NAME (e.g."
                        + " `mvn verify -Drecipe=hello`), set recipeci.recipe in junit-platform.properties,"
                        + " set RECIPECI_RECIPE, or use @RecipeTest(recipe = \"NAME\")"));
        Path home = source.lookup("recipeci.home")
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".recipe-ci"));
        return new RunConfig(
                new RecipeName(recipe),
                source.lookup("recipeci.version").map(Version::new),
                source.lookup("recipeci.ref"),
                source.lookup("recipeci.stages").map(RunConfig::parseStages).orElse(EnumSet.allOf(Stage.class)),
                source.lookup("recipeci.run-id").map(RunId::new).orElseGet(RunId::manual),
                source.lookup("recipeci.runs-dir").map(Path::of).orElse(home.resolve("runs")),
                home,
                source.lookup("recipeci.lock-dir").map(Path::of).orElse(Path.of("/run/lock")),
                source.lookup("recipeci.domain-suffix").orElse(DEFAULT_DOMAIN_SUFFIX),
                source.lookup("recipeci.pr").orElse("0"),
                source.lookup("recipeci.driver").orElse("swarm"),
                source.lookup("recipeci.keep-on-failure")
                        .map(v -> parseBoolean("recipeci.keep-on-failure", v))
                        .orElse(false),
                source.lookup("recipeci.deadline").map(RunConfig::parseDuration).orElse(Duration.ofMinutes(60)),
                source.lookup("recipeci.src").map(SourceRepository::new),
                source.lookup("recipeci.git-token-file").map(Path::of),
                source.lookup("recipeci.abra-home").map(Path::of),
                source.lookup("recipeci.abra-server"));
    }

    static Set<Stage> parseStages(String csv) {
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        Arrays.stream(csv.split(","))
                .filter(s -> !s.isBlank())
                .map(Stage::parse)
                .forEach(stages::add);
        if (stages.isEmpty()) {
            throw new RecipeConfigurationException(
                    "recipeci.stages is empty: name at least one of install, upgrade," + " backup, restore, custom");
        }
        return stages;
    }

    /** Durations as {@code 90s}, {@code 45m}, {@code 2h}, or ISO-8601 ({@code PT1H}). */
    static Duration parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([smh])")
                .matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        try {
            Duration d = m.matches()
                    ? Duration.of(
                            Long.parseLong(m.group(1)),
                            switch (m.group(2)) {
                                case "s" -> java.time.temporal.ChronoUnit.SECONDS;
                                case "m" -> java.time.temporal.ChronoUnit.MINUTES;
                                default -> java.time.temporal.ChronoUnit.HOURS;
                            })
                    : Duration.parse(text.trim());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new RecipeConfigurationException(
                "recipeci.deadline '" + text + "' is not a duration: use e.g. 60m," + " 90s or 2h");
    }

    private static boolean parseBoolean(String key, String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default ->
                throw new RecipeConfigurationException(
                        key + " '" + text + "' is not a yes/no value: use true" + " or false");
        };
    }

    private static void checkRef(String ref) {
        if (!ref.matches("[A-Za-z0-9][A-Za-z0-9._/+-]{0,199}") || ref.contains("..")) {
            throw new RecipeConfigurationException("recipeci.ref '" + ref + "' is not a git ref: use a branch, tag or"
                    + " commit id (letters, digits, '.', '_', '/', '+', '-')");
        }
    }

    /** The environment variables read for a key, most specific first. */
    static java.util.List<String> envNames(String key) {
        String bare = key.substring(key.indexOf('.') + 1);
        // Dotted keys of a sub-namespace (recipeci.gitea.url) read RECIPECI_GITEA_URL.
        String specific = "RECIPECI_"
                + bare.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
        return switch (bare) {
            case "run-id" -> java.util.List.of(specific, "DRONE_BUILD_NUMBER");
            case "stages" -> java.util.List.of(specific, "STAGES");
            case "pr" -> java.util.List.of(specific, "PR");
            case "src" -> java.util.List.of(specific, "SRC");
            // cc-ci's own knob, so a host migrating from it keeps one lock directory for both.
            case "lock-dir" -> java.util.List.of(specific, "CCCI_APP_LOCK_DIR");
            default -> java.util.List.of(specific);
        };
    }

    static String shortAlias(String key) {
        return switch (key) {
            case "recipeci.recipe" -> "recipe";
            case "recipeci.stages" -> "stages";
            case "recipeci.driver" -> "driver";
            default -> key;
        };
    }

    /** The configuration as {@code recipeci.*} parameters, to hand to a Launcher so every extension sees the same. */
    public Map<String, String> asParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("recipeci.recipe", recipe.value());
        version.ifPresent(v -> params.put("recipeci.version", v.value()));
        ref.ifPresent(r -> params.put("recipeci.ref", r));
        params.put(
                "recipeci.stages",
                String.join(",", stages.stream().map(Enum::name).toList()));
        params.put("recipeci.run-id", runId.value());
        params.put("recipeci.runs-dir", runsDir.toString());
        params.put("recipeci.home", home.toString());
        params.put("recipeci.lock-dir", lockDir.toString());
        params.put("recipeci.domain-suffix", domainSuffix);
        params.put("recipeci.pr", pr);
        params.put("recipeci.driver", driver);
        params.put("recipeci.keep-on-failure", Boolean.toString(keepOnFailure));
        params.put("recipeci.deadline", deadline.toSeconds() + "s");
        src.ifPresent(s -> params.put("recipeci.src", s.location()));
        gitTokenFile.ifPresent(f -> params.put("recipeci.git-token-file", f.toString()));
        abraHome.ifPresent(h -> params.put("recipeci.abra-home", h.toString()));
        abraServer.ifPresent(s -> params.put("recipeci.abra-server", s));
        return params;
    }

    /** The directory of this run: reports, logs and the recipe working trees. */
    public Path runDir() {
        return runsDir.resolve(runId.value());
    }
}
