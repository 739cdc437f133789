package org.coopcloud.recipeci.internal.deploy.abra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.coopcloud.recipeci.RecipeCiException;

/**
 * Reads {@code abra app ls --machine}: JSON with, per server, a list of apps. Each app object names its domain in
 * {@code appName} or {@code domain} (cc-ci read both); every such object anywhere in the document counts, so the
 * exact nesting does not matter.
 */
final class AppList {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppList() {}

    /**
     * The app names in the listing.
     *
     * @throws RecipeCiException when the output is not JSON
     */
    static Set<String> names(String output) {
        JsonNode root;
        try {
            root = JSON.readTree(output.strip().isEmpty() ? "{}" : output);
        } catch (IOException e) {
            throw new RecipeCiException("abra app ls --machine printed something that is not JSON: "
                    + output.strip().lines().findFirst().orElse(""));
        }
        Set<String> names = new LinkedHashSet<>();
        collect(root, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (String key : new String[] {"appName", "domain"}) {
                JsonNode value = node.get(key);
                if (value != null && value.isTextual() && !value.asText().isBlank()) {
                    names.add(value.asText().strip());
                }
            }
        }
        node.forEach(child -> collect(child, names));
    }
}
