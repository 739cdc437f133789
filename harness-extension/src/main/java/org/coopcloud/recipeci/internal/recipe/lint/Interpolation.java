package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.Map;

/**
 * Compose's variable substitution in a string value: {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}} (unset
 * or empty), {@code ${NAME-default}} (unset), {@code ${NAME:+alt}}, {@code ${NAME+alt}}, {@code ${NAME:?message}}
 * and {@code ${NAME?message}} (a lint does not stop on those: the variable is just empty), and {@code $$} for a
 * literal {@code $}. Defaults may themselves hold variables. An unset variable is empty.
 */
final class Interpolation {
    private Interpolation() {}

    static String apply(String text, Map<String, String> env) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    out.append(text, i, text.length()); // not a variable: left as it is
                    break;
                }
                out.append(braced(text.substring(i + 2, end), env));
                i = end + 1;
            } else if (isNameStart(next)) {
                int end = i + 1;
                while (end < text.length() && isNamePart(text.charAt(end))) {
                    end++;
                }
                out.append(env.getOrDefault(text.substring(i + 1, end), ""));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String braced(String inner, Map<String, String> env) {
        int end = 0;
        while (end < inner.length() && isNamePart(inner.charAt(end))) {
            end++;
        }
        String name = inner.substring(0, end);
        String rest = inner.substring(end);
        String value = env.get(name);
        boolean set = value != null;
        boolean nonEmpty = set && !value.isEmpty();
        if (rest.startsWith(":-")) {
            return nonEmpty ? value : apply(rest.substring(2), env);
        } else if (rest.startsWith("-")) {
            return set ? value : apply(rest.substring(1), env);
        } else if (rest.startsWith(":+")) {
            return nonEmpty ? apply(rest.substring(2), env) : "";
        } else if (rest.startsWith("+")) {
            return set ? apply(rest.substring(1), env) : "";
        }
        return set ? value : ""; // ${NAME}, ${NAME:?msg}, ${NAME?msg}
    }

    /** The index of the brace closing the one opened before {@code from}, counting nested {@code ${…}}. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
