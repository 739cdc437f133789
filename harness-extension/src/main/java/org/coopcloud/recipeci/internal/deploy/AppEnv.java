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

/**
 * An app's env file in the dotenv dialect Co-op Cloud recipes use: {@code KEY=value} lines, '#' comments, optional
 * quotes, order kept. Holds no secret values: secrets live in the swarm and are referenced by version only.
 */
public final class AppEnv {
    private static final Pattern LINE = Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*)");
    private static final Pattern COMMENT = Pattern.compile("\\s#");
    private static final Pattern SAFE_BARE = Pattern.compile("[A-Za-z0-9_./:@%+,=-]*");
    private static final Pattern SECRET_VERSION = Pattern.compile("SECRET_([A-Z0-9_]+)_VERSION");

    private final Map<String, String> values;

    private AppEnv(Map<String, String> values) {
        this.values = values;
    }

    public static AppEnv parse(String text, String origin) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new RecipeConfigurationException(
                        origin + " line " + (i + 1) + " is not KEY=value: '" + line + "' (fix the recipe's env file)");
            }
            values.put(m.group(1), value(m.group(2), origin, i + 1));
        }
        return new AppEnv(values);
    }

    /** A value: quoted ('...' or "..."), with an optional comment after it, or bare up to a whitespace-led '#'. */
    private static String value(String raw, String origin, int line) {
        if (raw.startsWith("'") || raw.startsWith("\"")) {
            char quote = raw.charAt(0);
            int close = raw.indexOf(quote, 1);
            String rest = close < 0 ? "" : raw.substring(close + 1).strip();
            if (close < 0 || !(rest.isEmpty() || rest.startsWith("#"))) {
                throw new RecipeConfigurationException(origin + " line " + line + ": the value " + raw
                        + " has an unbalanced " + quote + " quote (close it, or remove it)");
            }
            return raw.substring(1, close);
        }
        if (raw.startsWith("#")) {
            return "";
        }
        Matcher comment = COMMENT.matcher(raw);
        return (comment.find() ? raw.substring(0, comment.start()) : raw).strip();
    }

    public static AppEnv read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot read env file " + file + ": " + e.getMessage(), e);
        }
    }

    public AppEnv with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new AppEnv(copy);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** Secrets the recipe declares: lowercase secret name → version (from {@code SECRET_<NAME>_VERSION}). */
    public Map<String, String> secretVersions() {
        Map<String, String> secrets = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            Matcher m = SECRET_VERSION.matcher(key);
            if (m.matches()) {
                secrets.put(m.group(1).toLowerCase(Locale.ROOT), value);
            }
        });
        return secrets;
    }

    public void write(Path file) {
        StringBuilder text = new StringBuilder("# written by recipe-ci; removed at teardown\n");
        values.forEach((k, v) -> text.append(k).append('=').append(quoted(v)).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot write env file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The value as {@link #parse} reads it back: bare when safe, else single-quoted (double when it holds a '). */
    static String quoted(String value) {
        if (SAFE_BARE.matcher(value).matches()) {
            return value;
        }
        if (!value.contains("'")) {
            return "'" + value + "'";
        }
        if (!value.contains("\"")) {
            return "\"" + value + "\"";
        }
        throw new RecipeConfigurationException("env value " + value + " holds both quote kinds: the env file format"
                + " cannot keep it; drop one of them");
    }
}
