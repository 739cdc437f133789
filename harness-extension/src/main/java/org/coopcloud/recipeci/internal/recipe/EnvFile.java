package org.coopcloud.recipeci.internal.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * An env file ({@code .env.sample}, an app's {@code .env}) read as abra reads it: abra's {@code envfile} package,
 * whose grammar is that of the Go library godotenv (v1.5), plus modifiers in trailing comments.
 *
 * <ul>
 *   <li>{@code KEY=value}, {@code KEY: value} and {@code export KEY=value}; full-line {@code #} comments; a trailing
 *       comment starts at the last {@code #} that follows a blank ({@code A=1#x} keeps {@code 1#x}).
 *   <li>Unquoted values are trimmed; {@code '…'} is literal; {@code "…"} takes {@code \n}, {@code \r} and
 *       {@code \X} escapes. Quoted values may span lines.
 *   <li>{@code $NAME} and {@code ${NAME}} (NAME in {@code [A-Z0-9_]}) expand in unquoted and double-quoted values to
 *       what an earlier line of the same file set — the key's own earlier value too, which is what makes
 *       {@code COMPOSE_FILE="$COMPOSE_FILE:compose.postgres.yml"} a chain — else to nothing. There are no defaults:
 *       {@code ${A:-x}} leaves {@code :-x}}. {@code \$} is a literal {@code $}.
 *   <li>A later assignment of a key wins.
 *   <li>Modifiers: {@code key=value} words in the trailing comment of an assignment, e.g.
 *       {@code SECRET_X_VERSION=v1 # length=128 generate=false}.
 * </ul>
 *
 * <p>One difference on purpose: abra falls back to its own process environment for a {@code $NAME} no earlier line
 * set; recipe-ci does not, because a pull request controls the file and the harness's environment holds tokens.
 */
public final class EnvFile {
    private static final Pattern EXPANSION = Pattern.compile("(\\\\)?(\\$)(\\()?\\{?([A-Z0-9_]+)?\\}?");
    private static final Pattern ESCAPE = Pattern.compile("\\\\.");
    private static final Pattern UNESCAPE = Pattern.compile("\\\\([^$])");
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z0-9_.-]+)=(\\S*)");

    private final Map<String, String> values;
    private final Map<String, Map<String, String>> modifiers;

    private EnvFile(Map<String, String> values, Map<String, Map<String, String>> modifiers) {
        this.values = Collections.unmodifiableMap(values);
        this.modifiers = Collections.unmodifiableMap(modifiers);
    }

    /** Every key with its value, in the order the keys first appear. */
    public Map<String, String> values() {
        return values;
    }

    /** The modifiers of each key's last assignment that had any. */
    public Map<String, Map<String, String>> modifiers() {
        return modifiers;
    }

    /**
     * @param origin names the file in messages ({@code recipes/hello/.env.sample})
     * @throws RecipeConfigurationException naming the file and line of what abra could not read either
     */
    public static EnvFile parse(String text, String origin) {
        return new Parser(text.replace("---\n", "\n").replace("\r\n", "\n"), origin).parse();
    }

    private static final class Parser {
        private final String src;
        private final String origin;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> modifiers = new LinkedHashMap<>();
        private int pos;

        Parser(String src, String origin) {
            this.src = src;
            this.origin = origin;
        }

        EnvFile parse() {
            while (statementStart()) {
                String key = key();
                String value = value(key);
                values.put(key, value);
            }
            return new EnvFile(values, modifiers);
        }

        /** Moves to the next statement past blanks and comment lines; false at the end. */
        private boolean statementStart() {
            while (true) {
                while (pos < src.length() && isWhitespace(src.charAt(pos))) {
                    pos++;
                }
                if (pos >= src.length()) {
                    return false;
                }
                if (src.charAt(pos) != '#') {
                    return true;
                }
                int eol = src.indexOf('\n', pos);
                if (eol < 0) {
                    return false;
                }
                pos = eol;
            }
        }

        private String key() {
            int start = pos;
            skipBlanks();
            if (src.startsWith("export", pos) && pos + 6 < src.length() && isBlank(src.charAt(pos + 6))) {
                pos += 6;
                skipBlanks();
            }
            int from = pos;
            for (int i = from; i < src.length(); i++) {
                char c = src.charAt(i);
                if (isBlank(c) || c == '_' || c == '.' || Character.isLetterOrDigit(c)) {
                    continue;
                }
                if (c == '=' || c == ':') {
                    String key = src.substring(from, i).stripTrailing();
                    if (key.isEmpty()) {
                        throw error(start, "has no variable name before '" + c + "'");
                    }
                    pos = i + 1;
                    skipBlanks();
                    return key;
                }
                throw error(
                        start,
                        "is not KEY=value: unexpected "
                                + (c == '\n' ? "end of line" : "'" + c + "'")
                                + " in the variable name (names are letters, digits, '_' and '.')");
            }
            throw error(start, "is not KEY=value: no '=' before the end of the file");
        }

        private String value(String key) {
            if (pos >= src.length()) {
                modifiers.remove(key);
                return "";
            }
            char quote = src.charAt(pos);
            if (quote != '\'' && quote != '"') {
                return unquoted(key);
            }
            int start = pos;
            for (int i = pos + 1; i < src.length(); i++) {
                if (src.charAt(i) != quote || src.charAt(i - 1) == '\\') {
                    continue;
                }
                String raw = trim(src.substring(pos, i), quote);
                pos = i + 1;
                modifiers(key, trailingComment());
                return quote == '"' ? expand(unescape(raw)) : raw;
            }
            throw error(start, "has an unterminated " + quote + "-quoted value: close the quote");
        }

        private String unquoted(String key) {
            int eol = pos;
            while (eol < src.length() && src.charAt(eol) != '\n' && src.charAt(eol) != '\r') {
                eol++;
            }
            String line = src.substring(pos, eol);
            pos = eol;
            int end = line.length();
            for (int i = line.length() - 1; i > 0; i--) {
                if (line.charAt(i) == '#' && isBlank(line.charAt(i - 1))) {
                    end = i;
                    break;
                }
            }
            modifiers(key, end < line.length() ? line.substring(end + 1) : "");
            return expand(trimBlanks(line.substring(0, end)));
        }

        /** The comment after a closing quote on the same line, if the rest of the line is one. */
        private String trailingComment() {
            int eol = src.indexOf('\n', pos);
            String rest = src.substring(pos, eol < 0 ? src.length() : eol).strip();
            return rest.startsWith("#") ? rest.substring(1) : "";
        }

        private void modifiers(String key, String comment) {
            Map<String, String> found = new LinkedHashMap<>();
            Matcher m = MODIFIER.matcher(comment);
            while (m.find()) {
                found.put(m.group(1), m.group(2));
            }
            if (found.isEmpty()) {
                modifiers.remove(key);
            } else {
                modifiers.put(key, Collections.unmodifiableMap(found));
            }
        }

        private String expand(String value) {
            Matcher m = EXPANSION.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement;
                if (m.group(1) != null) {
                    replacement = m.group().substring(1);
                } else if (m.group(4) != null) {
                    replacement = values.getOrDefault(m.group(4), "");
                } else {
                    replacement = m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static String unescape(String value) {
            String escaped = ESCAPE.matcher(value)
                    .replaceAll(r -> Matcher.quoteReplacement(
                            switch (r.group()) {
                                case "\\n" -> "\n";
                                case "\\r" -> "\r";
                                default -> r.group();
                            }));
            return UNESCAPE.matcher(escaped).replaceAll("$1");
        }

        private void skipBlanks() {
            while (pos < src.length() && isBlank(src.charAt(pos))) {
                pos++;
            }
        }

        private RecipeConfigurationException error(int at, String what) {
            int line = 1;
            for (int i = 0; i < at && i < src.length(); i++) {
                if (src.charAt(i) == '\n') {
                    line++;
                }
            }
            int eol = src.indexOf('\n', at);
            String text = src.substring(at, eol < 0 ? src.length() : eol).strip();
            return new RecipeConfigurationException(origin + " line " + line + " '" + text + "' " + what
                    + " (abra cannot read this file either: fix the recipe's env file)");
        }
    }

    /** godotenv's blank: a space that is not a line break. */
    static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000b' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u00a0';
    }

    private static boolean isWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static String trimBlanks(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isBlank(s.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Every leading and trailing {@code quote} removed — godotenv's way, which also eats an escaped last quote. */
    private static String trim(String s, char quote) {
        int from = 0;
        int to = s.length();
        while (to > 0 && s.charAt(to - 1) == quote) {
            to--;
        }
        while (from < to && s.charAt(from) == quote) {
            from++;
        }
        return s.substring(from, to);
    }
}
