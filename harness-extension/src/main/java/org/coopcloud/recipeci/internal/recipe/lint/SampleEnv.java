package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys and literal values of a recipe's {@code .env.sample}, as far as lint needs them: which keys are set
 * (abra skips R010 when {@code DOMAIN} is not), and values to interpolate the compose files with. Comment lines and
 * trailing {@code # comments} are dropped, quotes removed, {@code export} ignored; {@code $VAR} references inside
 * values are left as they are (lint does not need the {@code COMPOSE_FILE} chain: abra lints every compose file).
 */
final class SampleEnv {
    private SampleEnv() {}

    static Map<String, String> parse(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                env.put(key, value(line.substring(eq + 1).strip()));
            }
        }
        return env;
    }

    private static String value(String raw) {
        if (!raw.isEmpty() && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            int close = raw.indexOf(raw.charAt(0), 1);
            return close > 0 ? raw.substring(1, close) : raw.substring(1);
        }
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i).strip();
            }
        }
        return raw;
    }
}
