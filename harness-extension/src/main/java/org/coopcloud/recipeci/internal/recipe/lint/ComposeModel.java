package org.coopcloud.recipeci.internal.recipe.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A recipe's compose files read as abra's lint reads them: every {@code compose*yml} in the recipe's root (not only
 * those {@code COMPOSE_FILE} names), in name order, each interpolated with the {@code .env.sample} values and merged
 * into one configuration — services by name, maps key by key (a later file's scalar wins), lists appended. Label and
 * environment lists ({@code - "key=value"}) are read as maps first, as compose does. YAML anchors, aliases and merge
 * keys ({@code <<: *anchor}) are resolved.
 */
final class ComposeModel {
    private static final Pattern COMPOSE_FILE = Pattern.compile("compose.*yml");

    /** One merged service, and the files that define part of it (for messages). */
    record Service(String name, Map<String, Object> spec, List<String> files) {
        Service {
            files = List.copyOf(files);
        }

        boolean has(String key) {
            return spec.containsKey(key);
        }

        /** The image reference, empty when the service has none (or an empty one). */
        Optional<String> image() {
            return Optional.ofNullable(spec.get("image"))
                    .map(String::valueOf)
                    .map(String::strip)
                    .filter(s -> !s.isEmpty());
        }

        /** The image reference split into name, tag and digest; empty when the service has no image. */
        Optional<ImageRef> imageRef() {
            return image().map(ImageRef::parse);
        }

        /** {@code deploy.labels} as a map (the list form {@code - "k=v"} read as compose reads it). */
        Map<String, String> deployLabels() {
            return ComposeModel.labels(ComposeModel.map(spec.get("deploy")).get("labels"));
        }

        /** "service 'app' (compose.yml)": the name and where it is defined. */
        String where() {
            return "service '" + name + "' (" + String.join(", ", files) + ")";
        }
    }

    private final Map<String, Object> merged;
    private final Map<String, Service> services;
    private final Map<String, Optional<String>> versions;

    private ComposeModel(
            Map<String, Object> merged, Map<String, Service> services, Map<String, Optional<String>> versions) {
        this.merged = merged;
        this.services = services;
        this.versions = versions;
    }

    /** The compose files abra's lint reads: {@code compose*yml} in the recipe's root, sorted by name. */
    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> COMPOSE_FILE.matcher(n).matches())
                    .sorted()
                    .toList();
        }
    }

    /**
     * Reads and merges the recipe's compose files.
     *
     * @throws UnreadableRecipeException when there is none, or one is not YAML or not a compose mapping
     */
    static ComposeModel read(Path dir, Map<String, String> env) {
        List<String> files;
        try {
            files = files(dir);
        } catch (IOException e) {
            throw new UnreadableRecipeException("cannot list the recipe's files in " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new UnreadableRecipeException(
                    "the recipe has no compose file (compose.yml) in its root: add one with its services");
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, List<String>> definedIn = new TreeMap<>();
        Map<String, Optional<String>> versions = new LinkedHashMap<>();
        for (String file : files) {
            Map<String, Object> doc = parse(LintedRecipe.ownFile(dir, file).orElseThrow(), file);
            versions.put(file, Optional.ofNullable(doc.get("version")).map(String::valueOf));
            Map<String, Object> interpolated = map(interpolate(doc, env));
            normalize(interpolated);
            map(interpolated.get("services")).keySet().forEach(s -> definedIn
                    .computeIfAbsent(s, k -> new ArrayList<>())
                    .add(file));
            mergeInto(merged, interpolated);
        }
        Map<String, Service> services = new TreeMap<>();
        map(merged.get("services"))
                .forEach((name, spec) -> services.put(name, new Service(name, map(spec), definedIn.get(name))));
        return new ComposeModel(merged, services, versions);
    }

    /** The merged services, by name. */
    Collection<Service> services() {
        return services.values();
    }

    Optional<Service> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** The keys of the top-level {@code secrets:} of every file. */
    Set<String> secrets() {
        return map(merged.get("secrets")).keySet();
    }

    /** The keys of the top-level {@code configs:} of every file. */
    Set<String> configs() {
        return map(merged.get("configs")).keySet();
    }

    /** Each file's {@code version:} as written (before interpolation), empty when it declares none. */
    Map<String, Optional<String>> versions() {
        return versions;
    }

    private static Map<String, Object> parse(Path path, String file) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UnreadableRecipeException("cannot read " + file + ": " + e.getMessage());
        }
        Object doc;
        try {
            // Safe constructor: a pull request controls these files; plain maps, lists and scalars only.
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new UnreadableRecipeException(file + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse("") + " — fix the YAML syntax");
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new UnreadableRecipeException(
                    file + " is not a compose file: its top level must be a mapping (version, services, …)");
        }
        return map(doc);
    }

    /** Every string value interpolated; keys stay as written. */
    private static Object interpolate(Object node, Map<String, String> env) {
        if (node instanceof String s) {
            return Interpolation.apply(s, env);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), interpolate(v, env)));
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(v -> interpolate(v, env)).toList();
        }
        return node;
    }

    /** Labels and environment in list form become maps, in every service, before files are merged. */
    private static void normalize(Map<String, Object> doc) {
        map(doc.get("services")).values().forEach(spec -> {
            if (spec instanceof Map<?, ?>) {
                Map<String, Object> service = map(spec);
                for (String key : List.of("labels", "environment")) {
                    if (service.containsKey(key)) {
                        service.put(key, new LinkedHashMap<>(labels(service.get(key))));
                    }
                }
                Map<String, Object> deploy = map(service.get("deploy"));
                if (deploy.containsKey("labels")) {
                    deploy.put("labels", new LinkedHashMap<>(labels(deploy.get("labels"))));
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Map<String, Object> source) {
        source.forEach((key, value) -> {
            Object existing = target.get(key);
            if (existing instanceof Map<?, ?> && value instanceof Map<?, ?>) {
                mergeInto((Map<String, Object>) existing, map(value));
            } else if (existing instanceof List<?> a && value instanceof List<?> b) {
                Set<Object> both = new LinkedHashSet<>(a);
                both.addAll(b);
                target.put(key, new ArrayList<>(both));
            } else if (value instanceof Map<?, ?>) {
                target.put(key, deepCopy(map(value)));
            } else {
                target.put(key, value);
            }
        });
    }

    private static Map<String, Object> deepCopy(Map<String, Object> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        mergeInto(copy, source);
        return copy;
    }

    /** A node as a mutable map view: a map stays itself, anything else is an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    /** Labels or environment in either form ({@code - "k=v"} or {@code k: v}) as a map of strings. */
    static Map<String, String> labels(Object node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> labels.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (node instanceof List<?> l) {
            for (Object item : l) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                labels.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return labels;
    }
}
