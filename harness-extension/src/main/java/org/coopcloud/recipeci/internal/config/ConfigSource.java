package org.coopcloud.recipeci.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * Where configuration values come from, in one precedence: {@code recipeci.*} parameters (the key, then its short
 * alias), then the key's environment variables. Blank values count as unset. It also knows which {@code recipeci.*}
 * keys and {@code RECIPECI_*} variables were given at all, so that a misspelt one is refused instead of silently
 * ignored ({@link #requireKnownKeys}).
 */
public final class ConfigSource {
    private final Function<String, Optional<String>> parameters;
    private final Map<String, String> env;
    private final Set<String> givenKeys;

    private ConfigSource(Function<String, Optional<String>> parameters, Map<String, String> env, Set<String> given) {
        this.parameters = parameters;
        this.env = Map.copyOf(env);
        this.givenKeys = given;
    }

    /** Parameters looked up one by one (JUnit configuration parameters); {@code given} are the keys set anywhere. */
    public static ConfigSource of(
            Function<String, Optional<String>> parameters, Map<String, String> env, Collection<String> given) {
        return new ConfigSource(parameters, env, new LinkedHashSet<>(given));
    }

    /** Parameters only, nothing to check (tests). */
    public static ConfigSource of(Function<String, Optional<String>> parameters, Map<String, String> env) {
        return of(parameters, env, Set.of());
    }

    /**
     * System properties as the parameters, then {@code junit-platform.properties} on the class path — the order JUnit
     * reads its own configuration parameters in, so the entrypoint sees what an IDE run sees. The keys checked are
     * those of both, and the {@code -D} keys Maven was called with ({@code MAVEN_CMD_LINE_ARGS}: under
     * {@code mvn verify} a misspelt property never reaches the harness JVM otherwise).
     */
    public static ConfigSource ofSystem(Properties properties, Map<String, String> env) {
        return ofSystem(properties, env, junitPlatformProperties());
    }

    static ConfigSource ofSystem(Properties properties, Map<String, String> env, Properties platformFile) {
        Set<String> given = new LinkedHashSet<>(properties.stringPropertyNames());
        given.addAll(mavenCommandLineKeys(env.getOrDefault("MAVEN_CMD_LINE_ARGS", "")));
        given.addAll(platformFile.stringPropertyNames());
        return new ConfigSource(
                key -> Optional.ofNullable(properties.getProperty(key))
                        .or(() -> Optional.ofNullable(platformFile.getProperty(key))),
                env,
                given);
    }

    /**
     * JUnit's configuration parameters (system properties and {@code junit-platform.properties}) as the parameters,
     * for IDE and Surefire runs; the keys checked are those of {@link #ofSystem}.
     */
    public static ConfigSource ofJUnit(Function<String, Optional<String>> parameters, Map<String, String> env) {
        return new ConfigSource(parameters, env, ofSystem(System.getProperties(), env).givenKeys);
    }

    public Optional<String> lookup(ConfigKey key) {
        Optional<String> value = parameters
                .apply(key.key())
                .filter(v -> !v.isBlank())
                .or(() -> key.alias().flatMap(parameters).filter(v -> !v.isBlank()));
        if (value.isPresent()) {
            return value.map(String::trim);
        }
        for (String name : key.envNames()) {
            String fromEnv = env.get(name);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.trim());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code key} was given anywhere, Maven's command line included, even where its value cannot be read. */
    public boolean given(String key) {
        return givenKeys.contains(key);
    }

    /** The raw environment, for values that are not configuration keys (tokens). */
    public Map<String, String> env() {
        return env;
    }

    /**
     * Refuses a {@code recipeci.*} key or {@code RECIPECI_*} variable that is not in {@link ConfigKey}'s table.
     *
     * @throws RecipeConfigurationException naming the unknown key and the closest known one
     */
    public void requireKnownKeys() {
        Set<String> unknown = unknownKeys();
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            String kind = first.startsWith("RECIPECI_") ? "variable" : "key";
            String closest = first.contains(".") || first.startsWith("RECIPECI_")
                    ? ConfigKey.closest(first)
                    : nearAlias(first).orElseThrow();
            throw new RecipeConfigurationException("unknown configuration " + kind + " '" + first + "'"
                    + (unknown.size() > 1
                            ? " (and " + (unknown.size() - 1) + " more: "
                                    + String.join(", ", unknown.stream().skip(1).toList()) + ")"
                            : "")
                    + ": did you mean '" + closest + "'? (the keys are listed in docs/operations.md)");
        }
    }

    /**
     * The {@code recipeci.*} keys and {@code RECIPECI_*} variables given that {@link ConfigKey}'s table does not have,
     * and the keys one slip away from a short name ({@code -Dstage} for {@code -Dstages}), which would be ignored
     * without a word.
     */
    Set<String> unknownKeys() {
        Set<String> unknown = new TreeSet<>();
        givenKeys.stream()
                .filter(k -> k.startsWith("recipeci.") && !k.startsWith(ConfigKey.TEST_PREFIX))
                .filter(k -> ConfigKey.named(k).isEmpty())
                .forEach(unknown::add);
        givenKeys.stream().filter(k -> nearAlias(k).isPresent()).forEach(unknown::add);
        env.keySet().stream()
                .filter(k -> k.startsWith("RECIPECI_") && !k.startsWith("RECIPECI_IT_") && !ConfigKey.knownEnvName(k))
                .forEach(unknown::add);
        return unknown;
    }

    /** The short name ({@code recipe}, {@code stages}, {@code driver}) {@code key} misses by one slip, if any. */
    private static Optional<String> nearAlias(String key) {
        return Arrays.stream(ConfigKey.values())
                .flatMap(k -> k.alias().stream())
                .filter(alias -> !alias.equals(key) && ConfigKey.distance(alias, key) == 1)
                .findFirst();
    }

    static Set<String> mavenCommandLineKeys(String commandLine) {
        Set<String> keys = new LinkedHashSet<>();
        String[] words = commandLine.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            String def = w.startsWith("-D") && w.length() > 2
                    ? w.substring(2)
                    : w.equals("-D") && i + 1 < words.length
                            ? words[++i]
                            : w.startsWith("--define=")
                                    ? w.substring("--define=".length())
                                    : w.equals("--define") && i + 1 < words.length ? words[++i] : null;
            if (def != null) {
                keys.add(def.split("=", 2)[0]);
            }
        }
        return keys;
    }

    private static Properties junitPlatformProperties() {
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(ConfigSource.class.getClassLoader());
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream("junit-platform.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unreadable: as if there were none, as JUnit treats it
        }
        return properties;
    }

    @Override
    public String toString() {
        return "ConfigSource" + Arrays.toString(givenKeys.toArray());
    }
}
