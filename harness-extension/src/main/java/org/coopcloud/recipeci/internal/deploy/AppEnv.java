package org.coopcloud.recipeci.internal.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.recipe.EnvFile;

/**
 * An app's env: its values in order, and the modifiers of each assignment ({@code # length=128}), read as abra reads
 * env files ({@link EnvFile}) and written so that they read back the same. Holds no secret values: secrets live in
 * the swarm and are referenced by version only.
 */
public final class AppEnv {
    /** Read back as it is without quotes: no blank (no comment can start), no '$', no quote first. */
    private static final Pattern SAFE_BARE = Pattern.compile("(?![\"'])[^\\s\u0085\u00a0$]*");

    private static final Pattern SECRET_VERSION = Pattern.compile("SECRET_([A-Z0-9_]+)_VERSION");

    private final Map<String, String> values;
    private final Map<String, Map<String, String>> modifiers;

    private AppEnv(Map<String, String> values, Map<String, Map<String, String>> modifiers) {
        this.values = values;
        this.modifiers = modifiers;
    }

    /** @param origin names the text in messages (the file it came from) */
    public static AppEnv parse(String text, String origin) {
        EnvFile file = EnvFile.parse(text, origin);
        return new AppEnv(new LinkedHashMap<>(file.values()), new LinkedHashMap<>(file.modifiers()));
    }

    public static AppEnv read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot read env file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A copy with {@code key} set to {@code value}; the key keeps its modifiers. */
    public AppEnv with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new AppEnv(copy, modifiers);
    }

    /**
     * A copy with every value of {@code over} set on top, and its modifiers for the keys it has (an app's env over
     * a new release's sample: the app's values and their modifiers stay, the sample's new keys come in).
     */
    public AppEnv overriddenBy(AppEnv over) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.putAll(over.values);
        Map<String, Map<String, String>> mods = new LinkedHashMap<>(modifiers);
        over.values.keySet().forEach(mods::remove);
        mods.putAll(over.modifiers);
        return new AppEnv(copy, mods);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** The modifiers of {@code key}'s assignment ({@code length}, {@code generate}); empty when it has none. */
    public Map<String, String> modifiers(String key) {
        return modifiers.getOrDefault(key, Map.of());
    }

    /** Secrets the env declares: lowercase secret name → version (from {@code SECRET_<NAME>_VERSION}). */
    public Map<String, String> secretVersions() {
        return secretVersions(values);
    }

    /** The secrets {@code env} declares: lowercase secret name → version. */
    static Map<String, String> secretVersions(Map<String, String> env) {
        Map<String, String> secrets = new LinkedHashMap<>();
        env.forEach((key, value) -> {
            Matcher m = SECRET_VERSION.matcher(key);
            if (m.matches()) {
                secrets.put(m.group(1).toLowerCase(Locale.ROOT), value);
            }
        });
        return secrets;
    }

    public void write(Path file) {
        StringBuilder text = new StringBuilder("# written by recipe-ci; removed at teardown\n");
        values.forEach((k, v) -> {
            text.append(k).append('=').append(quoted(v));
            Map<String, String> mods = modifiers(k);
            if (!mods.isEmpty()) {
                text.append(" #");
                mods.forEach(
                        (m, value) -> text.append(' ').append(m).append('=').append(value));
            }
            text.append('\n');
        });
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot write env file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The value as {@link EnvFile} reads it back: bare when safe; else single-quoted (literal) when it holds no
     * {@code '}; else double-quoted with {@code \}, {@code "}, {@code $} and line breaks escaped. A quoted value
     * cannot end in a backslash (the reader takes it for an escaped closing quote), nor a double-quoted one in
     * {@code "} (the reader eats it).
     */
    static String quoted(String value) {
        if (SAFE_BARE.matcher(value).matches()) {
            return value;
        }
        if (!value.contains("'") && !value.endsWith("\\")) {
            return "'" + value + "'";
        }
        if (!value.endsWith("\"") && !value.endsWith("\\")) {
            return "\""
                    + value.replace("\\", "\\\\")
                            .replace("\"", "\\\"")
                            .replace("$", "\\$")
                            .replace("\n", "\\n")
                            .replace("\r", "\\r")
                    + "\"";
        }
        throw new RecipeConfigurationException("env value " + value + " holds a blank or '$', a ' and ends in \\"
                + " or \": the env file format cannot keep it; change one of them");
    }
}
