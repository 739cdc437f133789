package org.coopcloud.recipeci.internal.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.recipe.AbraSh;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * Co-op Cloud's conventions for an app's environment, shared by the drivers, as abra applies them: the env starts
 * from the recipe's {@code .env.sample} (read by abra's rules, {@link AppEnv}) with {@code TYPE} and {@code DOMAIN};
 * {@code COMPOSE_FILE} names the compose files, each inside the recipe's checkout; at
 * deploy time the exports of {@code abra.sh} override the env and {@code STACK_NAME} joins it; secrets are named
 * and generated as their {@code SECRET_<NAME>_VERSION} line's modifiers say.
 */
public final class RecipeEnv {
    /**
     * The variables of the harness's environment a {@code docker stack config} or {@code deploy} inherits: what the
     * docker client needs to reach its engine. Docker interpolates the compose files with its whole environment;
     * abra with the app's env only — anything else of the host (a CI runner's variables) must not change a stack.
     */
    public static final Set<String> DOCKER_CLIENT_ENV = Set.of(
            "PATH",
            "HOME",
            "TMPDIR",
            "XDG_RUNTIME_DIR",
            "DOCKER_HOST",
            "DOCKER_CONTEXT",
            "DOCKER_CONFIG",
            "DOCKER_CERT_PATH",
            "DOCKER_TLS_VERIFY",
            "DOCKER_API_VERSION");

    /** Swarm's limit for a secret's value (500 KiB). */
    static final int MAX_SECRET_LENGTH = 500 * 1024;

    /** Swarm's rule for secret and config names (swarmkit's {@code validateConfigOrSecretAnnotations}). */
    private static final Pattern SWARM_NAME = Pattern.compile("[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?");

    private RecipeEnv() {}

    /**
     * The recipe's {@code .env.sample} for {@code domain} as {@code abra app new} writes it — every
     * {@code <recipe>.example.com} replaced by the domain — with {@code TYPE} and {@code DOMAIN} set.
     */
    public static AppEnv fromSample(RecipeSource source, AppDomain domain) {
        String text = sampleText(source).replace(source.recipe().value() + ".example.com", domain.value());
        return AppEnv.parse(text, samplePath(source).toString())
                .with("TYPE", source.recipe().value())
                .with("DOMAIN", domain.value());
    }

    /** The recipe's {@code .env.sample} as it is. */
    public static AppEnv sample(RecipeSource source) {
        return AppEnv.parse(sampleText(source), samplePath(source).toString());
    }

    private static Path samplePath(RecipeSource source) {
        return source.workTree().resolve(".env.sample");
    }

    private static String sampleText(RecipeSource source) {
        Path sample = samplePath(source);
        if (!Files.isRegularFile(sample)) {
            throw new RecipeConfigurationException("recipe '" + source.recipe() + "' at " + source.ref()
                    + " has no .env.sample: a Co-op Cloud recipe needs one (TYPE, DOMAIN, SECRET_*_VERSION)");
        }
        // A pull request controls the checkout: a link out of it must not make the harness read a host file.
        if (Files.isSymbolicLink(sample)) {
            throw new RecipeConfigurationException("recipe '" + source.recipe() + "' at " + source.ref()
                    + ": .env.sample is a symbolic link — recipe-ci reads only the recipe's own files; commit the"
                    + " file itself");
        }
        try {
            return Files.readString(sample, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot read " + sample + ": " + e.getMessage(), e);
        }
    }

    /** {@code env} with every entry of {@code extra} set. */
    public static AppEnv with(AppEnv env, Map<String, String> extra) {
        AppEnv result = env;
        for (Map.Entry<String, String> e : extra.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    /**
     * The env of {@code app} after an upgrade to {@code source}: the new release's sample brings new keys, what the
     * app already has (DOMAIN, chosen values, their modifiers) stays, and {@code extra} is set on top.
     */
    public static AppEnv upgraded(AppInstance app, RecipeSource source, Map<String, String> extra) {
        return with(fromSample(source, app.domain()).overriddenBy(app.env()), extra);
    }

    /**
     * Everything about the recipe's env that can be refused before anything is created: the {@code COMPOSE_FILE}
     * chain, and the secrets (modifiers, {@code generate=false}, name lengths) for {@code domain}.
     *
     * @throws RecipeConfigurationException saying what to fix
     */
    public static void check(RecipeSource source, AppDomain domain) {
        check(source, domain, Map.of());
    }

    /** {@link #check(RecipeSource, AppDomain)} with {@code extra} set on the sample's env. */
    public static void check(RecipeSource source, AppDomain domain, Map<String, String> extra) {
        AppEnv env = with(fromSample(source, domain), extra);
        composeFiles(source, env);
        secrets(source, env, domain.stackName());
    }

    /**
     * The env keys the recipe at {@code source} knows: those its {@code .env.sample} sets or shows commented out
     * ({@code #SMTP_HOST=}), those its compose files and {@code abra.sh} interpolate, and the ones every app has.
     */
    public static Set<String> knownKeys(RecipeSource source) {
        Set<String> known = new TreeSet<>(Set.of("TYPE", "DOMAIN", "COMPOSE_FILE", "STACK_NAME", "TIMEOUT"));
        Path root = source.workTree();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve(".env.sample"));
        files.add(root.resolve("abra.sh"));
        try (var listed = Files.list(root)) {
            listed.filter(f -> f.getFileName().toString().matches("compose.*\\.ya?ml"))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            // the sample alone then
        }
        for (Path file : files) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher assigned = ASSIGNED.matcher(text);
                while (assigned.find()) {
                    known.add(assigned.group(1));
                }
                Matcher used = INTERPOLATED.matcher(text);
                while (used.find()) {
                    known.add(used.group(1));
                }
            } catch (IOException e) {
                // not there: nothing known from it
            }
        }
        return known;
    }

    /** {@code KEY=}, also commented out ({@code #KEY=}) or exported, at the start of a line. */
    private static final Pattern ASSIGNED = Pattern.compile("(?m)^\\s*#?\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=");

    private static final Pattern INTERPOLATED = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * The compose files {@code COMPOSE_FILE} names, in order (default {@code compose.yml}); each must be a file of
     * the recipe's checkout — a pull request controls the chain, and docker reads whatever it names.
     *
     * @throws RecipeConfigurationException for an empty entry, a path outside the checkout, or a missing file
     */
    public static List<String> composeFiles(RecipeSource source, AppEnv env) {
        String chain = env.get("COMPOSE_FILE").orElse("compose.yml");
        String where = "recipe '" + source.recipe() + "' at " + source.ref();
        Path root = source.workTree().toAbsolutePath().normalize();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot read the checkout " + root + ": " + e.getMessage(), e);
        }
        List<String> files = new ArrayList<>();
        for (String file : chain.split(":", -1)) {
            if (file.isBlank()) {
                throw new RecipeConfigurationException(where + ": COMPOSE_FILE '" + chain + "' has an empty entry"
                        + " (a chain such as COMPOSE_FILE=\"$COMPOSE_FILE:compose.x.yml\" before COMPOSE_FILE was"
                        + " set?): set COMPOSE_FILE=\"compose.yml\" on an earlier line of .env.sample");
            }
            Path path = root.resolve(file).normalize();
            boolean inside = !Path.of(file).isAbsolute() && path.startsWith(root);
            try {
                inside = inside && (!Files.exists(path) || path.toRealPath().startsWith(realRoot));
            } catch (IOException e) {
                inside = false;
            }
            if (!inside) {
                throw new RecipeConfigurationException(where + ": COMPOSE_FILE names '" + file + "', which is outside"
                        + " the recipe's checkout — nothing was created. Name the recipe's own compose files,"
                        + " relative to its root (e.g. COMPOSE_FILE=\"compose.yml:compose.postgres.yml\")");
            }
            if (!Files.isRegularFile(path)) {
                throw new RecipeConfigurationException(
                        where + " has no " + file + " (named by COMPOSE_FILE or the default compose.yml)");
            }
            files.add(file);
        }
        return files;
    }

    /**
     * The variables a deploy of {@code stack} interpolates its compose files with: the app's env, overridden by
     * the exports of the recipe's {@code abra.sh} (parsed, never run), and {@code STACK_NAME}.
     */
    public static Map<String, String> deployEnv(RecipeSource source, AppEnv env, StackName stack) {
        Map<String, String> vars = new LinkedHashMap<>(env.asMap());
        vars.putAll(abraShExports(source));
        vars.put("STACK_NAME", stack.value());
        return vars;
    }

    /** The exports of the recipe's {@code abra.sh}; none without one. */
    public static Map<String, String> abraShExports(RecipeSource source) {
        return AbraSh.read(source.workTree().resolve("abra.sh"));
    }

    /**
     * The secrets the app's env declares ({@code SECRET_<NAME>_VERSION}, after {@code abra.sh}'s exports) with their
     * modifiers, named for {@code stack}.
     *
     * @throws RecipeConfigurationException for a {@code length=} that is no length, a secret left to the operator
     *     ({@code generate=false}: recipe-ci cannot be handed one), a missing version, or a name swarm refuses
     */
    public static List<AppSecret> secrets(RecipeSource source, AppEnv env, StackName stack) {
        String where = "recipe '" + source.recipe() + "' at " + source.ref();
        Map<String, String> vars = deployEnv(source, env, stack);
        List<AppSecret> secrets = new ArrayList<>();
        AppEnv.secretVersions(vars).forEach((name, version) -> {
            String key = "SECRET_" + name.toUpperCase(Locale.ROOT) + "_VERSION";
            Map<String, String> modifiers = env.modifiers(key);
            String line = key + "=" + version + (modifiers.isEmpty() ? "" : " # " + words(modifiers));
            if (version.isBlank()) {
                throw new RecipeConfigurationException(where + ": secret '" + name + "' has no version (" + key
                        + " is empty; abra: \"missing version for secret?\"): set it, e.g. " + key + "=v1");
            }
            OptionalInt length = length(modifiers.get("length"), where, name, line);
            boolean generate = generate(modifiers.get("generate"), where, name, line);
            String remote = stack + "_" + name + "_" + version;
            if (remote.length() > AppSecret.MAX_NAME) {
                throw new RecipeConfigurationException(where + ": the swarm secret for '" + name + "' would be named "
                        + remote + " (" + remote.length() + " characters), longer than swarm's limit of "
                        + AppSecret.MAX_NAME + " — nothing was created. Shorten the secret's name in the recipe"
                        + " (abra warns about names over 12 characters), or use a shorter app domain");
            }
            if (!SWARM_NAME.matcher(remote).matches()) {
                throw new RecipeConfigurationException(where + ": the swarm secret for '" + name + "' would be named "
                        + remote + ", which swarm refuses (letters, digits, '-', '_' and '.', starting and ending"
                        + " with a letter or digit): fix the version in " + key);
            }
            if (!generate) {
                throw new RecipeConfigurationException(where + " leaves secret '" + name + "' to the operator ("
                        + line + "): abra does not generate it (`abra app secret insert <domain> " + name + " "
                        + version + " <value>` supplies it), and recipe-ci cannot be handed secret values — nothing"
                        + " was created. To test the recipe, drop generate=false on a branch (abra then generates"
                        + " it, with length= if the app needs a plain random string)");
            }
            secrets.add(new AppSecret(name, key, version, remote, length, generate));
        });
        return secrets;
    }

    private static OptionalInt length(String text, String where, String name, String line) {
        if (text == null) {
            return OptionalInt.empty();
        }
        int length;
        try {
            length = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 1 || length > MAX_SECRET_LENGTH) {
            throw new RecipeConfigurationException(where + ": secret '" + name + "' has length=" + text + " (" + line
                    + "), which is not a length: give a whole number of characters from 1 to " + MAX_SECRET_LENGTH
                    + " (e.g. length=64)");
        }
        return OptionalInt.of(length);
    }

    /** Go's {@code strconv.ParseBool}, which abra uses for {@code generate=}. */
    private static boolean generate(String text, String where, String name, String line) {
        if (text == null) {
            return true;
        }
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default ->
                throw new RecipeConfigurationException(where + ": secret '" + name + "' has generate=" + text + " ("
                        + line + "), which abra cannot read: use generate=false or leave it out");
        };
    }

    private static String words(Map<String, String> modifiers) {
        StringBuilder text = new StringBuilder();
        modifiers.forEach((k, v) ->
                text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return text.toString();
    }

    /** The swarm secret names the env declares: {@code <stack>_<name>_<version>}. */
    public static List<String> secretNames(StackName stack, AppEnv env) {
        return env.secretVersions().entrySet().stream()
                .map(s -> stack + "_" + s.getKey() + "_" + s.getValue())
                .toList();
    }
}
