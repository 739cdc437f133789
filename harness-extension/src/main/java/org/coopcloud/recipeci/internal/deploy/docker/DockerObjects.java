package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.StackName;

/**
 * The listings and inspects of docker objects that the teardown, the residual checks, the janitor and the backups
 * read: by the Engine API when it is usable (one request of a few milliseconds), else by the docker CLI (a process of
 * some 20 ms of wall and CPU each, about thirty times per run before this). Both give the same answer, in the same
 * order (by name): {@code DockerEngineIT} holds the two side by side on a real swarm.
 */
final class DockerObjects {
    /** What a listing is of, as the CLI and the engine name it. */
    enum Kind {
        SERVICE("service", "/services"),
        CONTAINER("container", "/containers/json"),
        VOLUME("volume", "/volumes"),
        SECRET("secret", "/secrets"),
        CONFIG("config", "/configs"),
        NETWORK("network", "/networks");

        private final String cli;
        private final String path;

        Kind(String cli, String path) {
            this.cli = cli;
            this.path = path;
        }
    }

    /**
     * One listed object: its id (a volume's is its name), its name (a container's without the leading slash) and the
     * values of the labels asked for, "" for one it does not carry.
     */
    record Listed(String id, String name, Map<String, String> labels) {
        String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    /** A volume mount of a container: the volume's full name and where it is mounted. */
    record Mount(String volume, String destination) {}

    private final DockerCli docker;

    DockerObjects(DockerCli docker) {
        this.docker = docker;
    }

    /**
     * {@code docker <kind> ls} (containers: {@code ps --all}), by name.
     *
     * @param label only objects with this label ({@code key}) or label value ({@code key=value}), when given
     * @param wanted the labels whose values each answer carries
     */
    List<Listed> list(Kind kind, Optional<String> label, String... wanted) {
        return docker.query(
                kind.cli + "s" + label.map(l -> " labelled " + l).orElse(""),
                engine -> viaEngine(engine, kind, label, wanted),
                () -> viaCli(kind, label, wanted));
    }

    /** The label filter of a stack's own objects. */
    static Optional<String> ofStack(StackName stack) {
        return Optional.of(DockerCli.STACK_LABEL + "=" + stack);
    }

    /** The names of {@link #list}'s answer. */
    List<String> names(Kind kind, Optional<String> label) {
        return list(kind, label).stream().map(Listed::name).toList();
    }

    /** A service's labels; empty when the service is gone. */
    Map<String, String> serviceLabels(String service) {
        return docker.query(
                "labels of " + service,
                engine -> engine.find("/services/" + service)
                        .map(s -> strings(s.path("Spec").path("Labels")))
                        .orElse(Map.of()),
                () -> docker.serviceLabelsViaCli(service));
    }

    /** A running container of a swarm service (its short id, as {@code docker ps -q} prints it), if one runs. */
    Optional<String> runningContainer(String service) {
        return docker.query(
                "containers of " + service,
                engine -> {
                    Map<String, String> query = Map.of(
                            "filters",
                            "{\"label\":[" + DockerEngine.jsonString("com.docker.swarm.service.name=" + service)
                                    + "],\"status\":[\"running\"]}");
                    for (JsonNode c : engine.get(Kind.CONTAINER.path, query)) {
                        return Optional.of(shortId(c.path("Id").asText()));
                    }
                    return Optional.<String>empty();
                },
                () -> docker.runningContainerViaCli(service));
    }

    /** The volumes a container mounts. */
    List<Mount> volumeMounts(String container) {
        return docker.query(
                "mounts of " + container,
                engine -> mounts(engine.find("/containers/" + container + "/json")
                        .orElseThrow(() -> new DockerEngine.Gone("docker inspect " + container + ": no such container"))
                        .path("Mounts")),
                () -> mounts(DockerCli.parse(docker.docker("inspect", container, "--format", "{{json .Mounts}}")
                        .orThrow()
                        .stdout()
                        .strip())));
    }

    private static List<Mount> mounts(JsonNode mounts) {
        List<Mount> result = new ArrayList<>();
        mounts.forEach(m -> {
            if ("volume".equals(m.path("Type").asText())) {
                result.add(
                        new Mount(m.path("Name").asText(), m.path("Destination").asText()));
            }
        });
        return result;
    }

    private static List<Listed> viaEngine(DockerEngine engine, Kind kind, Optional<String> label, String... wanted) {
        Map<String, String> query = new HashMap<>();
        label.ifPresent(l -> query.put("filters", "{\"label\":[" + DockerEngine.jsonString(l) + "]}"));
        if (kind == Kind.CONTAINER) {
            query.put("all", "1");
        }
        JsonNode answer = engine.get(kind.path, query);
        List<Listed> listed = new ArrayList<>();
        for (JsonNode o : kind == Kind.VOLUME ? answer.path("Volumes") : answer) {
            String id;
            String name;
            JsonNode labels;
            switch (kind) {
                case VOLUME -> {
                    id = o.path("Name").asText();
                    name = id;
                    labels = o.path("Labels");
                }
                case NETWORK -> {
                    id = o.path("Id").asText();
                    name = o.path("Name").asText();
                    labels = o.path("Labels");
                }
                case CONTAINER -> {
                    id = o.path("Id").asText();
                    name = o.path("Names").path(0).asText().replaceFirst("^/", "");
                    labels = o.path("Labels");
                }
                default -> {
                    id = o.path("ID").asText();
                    name = o.path("Spec").path("Name").asText();
                    labels = o.path("Spec").path("Labels");
                }
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : wanted) {
                values.put(key, labels.path(key).asText(""));
            }
            listed.add(new Listed(id, name, values));
        }
        return sorted(listed);
    }

    private List<Listed> viaCli(Kind kind, Optional<String> label, String... wanted) {
        List<String> rows;
        if (kind == Kind.SERVICE && wanted.length > 0) {
            // `docker service ls` cannot print labels: the ids, then one inspect of them all.
            List<String> args = new ArrayList<>(List.of("service", "ls", "-q"));
            label.ifPresent(l -> args.addAll(List.of("--filter", "label=" + l)));
            List<String> ids = docker.lines(args.toArray(String[]::new));
            if (ids.isEmpty()) {
                return List.of();
            }
            StringBuilder format = new StringBuilder("{{.ID}}\t{{.Spec.Name}}");
            for (String key : wanted) {
                format.append("\t{{index .Spec.Labels \"").append(key).append("\"}}");
            }
            List<String> inspect = new ArrayList<>(List.of("service", "inspect", "--format", format + "\t|"));
            inspect.addAll(ids);
            rows = docker.linesOfThoseStillThere(inspect.toArray(String[]::new));
        } else {
            List<String> args =
                    new ArrayList<>(kind == Kind.CONTAINER ? List.of("ps", "--all") : List.of(kind.cli, "ls"));
            if (kind == Kind.CONTAINER || kind == Kind.NETWORK) {
                args.add("--no-trunc");
            }
            label.ifPresent(l -> args.addAll(List.of("--filter", "label=" + l)));
            StringBuilder format = new StringBuilder(
                    switch (kind) {
                        case VOLUME -> "{{.Name}}\t{{.Name}}";
                        case CONTAINER -> "{{.ID}}\t{{.Names}}";
                        default -> "{{.ID}}\t{{.Name}}";
                    });
            for (String key : wanted) {
                format.append("\t{{.Label \"").append(key).append("\"}}");
            }
            // '|' ends each row: lines() strips trailing whitespace, which would take an empty last label with it.
            args.addAll(List.of("--format", format + "\t|"));
            rows = docker.lines(args.toArray(String[]::new));
        }
        List<Listed> listed = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split("\t", -1);
            if (f.length != wanted.length + 3) {
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < wanted.length; i++) {
                values.put(wanted[i], f[i + 2]);
            }
            listed.add(new Listed(f[0], f[1], values));
        }
        return sorted(listed);
    }

    private static List<Listed> sorted(List<Listed> listed) {
        listed.sort(Comparator.comparing(Listed::name, EngineQueries::naturalCompare)
                .thenComparing(Listed::id));
        return List.copyOf(listed);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** The 12 characters {@code docker ps} shows of a container id. */
    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
