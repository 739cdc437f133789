package org.coopcloud.recipeci.internal.recipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * The variables a recipe's {@code abra.sh} exports, read the way abra reads them — parsed, never run: a pull request
 * controls the file. abra overrides the app's env with them before it interpolates the compose files, so that
 * {@code name: ${STACK_NAME}_pg_backup_${PG_BACKUP_VERSION}} carries the version the recipe vendors.
 *
 * <p>The rule (abra's {@code ReadAbraShEnvVars}; an assumption, see {@code docs/architecture.md}): a line counts when
 * it starts with {@code export}, blanks, then {@code WORD=WORD} ({@code \w}: ASCII letters, digits, '_'); its text
 * after the last {@code "export "} is split on '=' into exactly a key and a value, taken as they are — no quotes
 * removed, no comment cut, nothing expanded ({@code export A=v1 # note} sets {@code "v1 # note"}). Lines that do not
 * match ({@code export A="v1"}, {@code export A=$B}, indented lines, function bodies) are ignored; a later line wins.
 */
public final class AbraSh {
    private static final Pattern EXPORT = Pattern.compile("^export\\s+\\w+=\\w+");
    private static final Pattern KEY = Pattern.compile("\\w+");

    private AbraSh() {}

    /**
     * The exports of {@code file}; none when there is no such file.
     *
     * @throws RecipeConfigurationException when it is a symbolic link (a pull request controls the checkout: a link
     *     would have the harness read a host file's {@code export} lines into the compose files' variables), or
     *     cannot be read or parsed
     */
    public static Map<String, String> read(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new RecipeConfigurationException(file + ": abra.sh is a symbolic link — recipe-ci reads only the"
                    + " recipe's own files; commit the file itself");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new RecipeConfigurationException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param origin names the file in messages
     * @throws RecipeConfigurationException for a line abra refuses too ({@code export A=v1=x})
     */
    public static Map<String, String> parse(String text, String origin) {
        Map<String, String> exports = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            // Line by line as Go's scanner reads it: a CR before the LF is not part of the line.
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (!EXPORT.matcher(line).find()) {
                continue;
            }
            String assignment = line.substring(line.lastIndexOf("export ") + "export ".length());
            String[] parts = assignment.split("=", -1);
            if (parts.length != 2) {
                throw new RecipeConfigurationException(origin + " line " + (i + 1) + " '" + line.strip()
                        + "' exports more than KEY=VALUE, and abra refuses the file (\"couldn't parse\"): quote"
                        + " nothing and use one '=' per export line");
            }
            // abra would keep a key with a leading blank (`export  A=v1`); no compose variable can name it.
            if (KEY.matcher(parts[0]).matches()) {
                exports.put(parts[0], parts[1]);
            }
        }
        return Collections.unmodifiableMap(exports);
    }
}
