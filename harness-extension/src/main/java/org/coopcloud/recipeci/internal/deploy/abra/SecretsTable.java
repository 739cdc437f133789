package org.coopcloud.recipeci.internal.deploy.abra;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the secret values abra prints after generating them ({@code app new --secrets}, {@code app secret
 * generate}): a table whose rows start with the secret's name and end with its value, framed with box-drawing
 * characters or ASCII bars. Only rows naming a secret the recipe declares count, so headers, borders and notices
 * are never taken for values. The text holds secrets: it is parsed here and never logged.
 */
final class SecretsTable {
    private static final String CELL_SEPARATORS = "[│┃|]";

    private SecretsTable() {}

    /**
     * The value printed for each of {@code names} (lowercase secret names, as in {@code SECRET_<NAME>_VERSION}).
     * Names with no row are missing from the answer.
     */
    static Map<String, String> values(String output, Collection<String> names) {
        Set<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\r?\n")) {
            List<String> cells = Arrays.stream(line.split(CELL_SEPARATORS))
                    .map(String::strip)
                    .filter(c -> !c.isEmpty())
                    .toList();
            if (cells.size() < 2) {
                continue;
            }
            String name = cells.get(0).toLowerCase(Locale.ROOT);
            String value = cells.get(cells.size() - 1);
            if (wanted.contains(name) && !value.contains(" ")) {
                values.putIfAbsent(name, value);
            }
        }
        return values;
    }
}
