package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.StackName;

/**
 * The read-only stack queries of {@link DockerCli}, answered by the Engine API in the very shapes the CLI gives them:
 * task names {@code <service>.<slot>}, states as {@code docker stack ps} prints them ("Rejected 3 seconds ago"),
 * errors in its quotes, services and rollouts as {@code docker service ls} and {@code inspect} report them.
 */
final class EngineQueries {
    private EngineQueries() {}

    /** {@code docker stack ps --no-trunc}: every task of the stack, grouped by name, the newest of a slot first. */
    static List<DockerCli.Task> tasks(DockerEngine engine, StackName stack, Instant now) {
        Map<String, String> filter = stackFilter(stack);
        Map<String, String> serviceNames = new HashMap<>();
        engine.get("/services", filter)
                .forEach(s -> serviceNames.put(
                        s.path("ID").asText(), s.path("Spec").path("Name").asText()));
        record Row(DockerCli.Task task, Instant created) {}
        List<Row> rows = new ArrayList<>();
        for (JsonNode t : engine.get("/tasks", filter)) {
            String serviceId = t.path("ServiceID").asText();
            // Like the CLI's resolver: a service that is gone is shown by its id.
            String service = serviceNames.getOrDefault(serviceId, serviceId);
            long slot = t.path("Slot").asLong(0);
            String name = service + "."
                    + (slot != 0 ? Long.toString(slot) : t.path("NodeID").asText());
            JsonNode status = t.path("Status");
            String err = status.path("Err").asText("");
            rows.add(new Row(
                    new DockerCli.Task(
                            t.path("ID").asText(),
                            name,
                            capitalized(t.path("DesiredState").asText()),
                            capitalized(status.path("State").asText()) + " "
                                    + humanDuration(Duration.between(time(status.path("Timestamp")), now))
                                            .toLowerCase(Locale.ROOT)
                                    + " ago",
                            err.isEmpty() ? "" : "\"" + err + "\""),
                    time(t.path("CreatedAt"))));
        }
        rows.sort(Comparator.comparing((Row r) -> r.task().name(), EngineQueries::naturalCompare)
                .thenComparing(Row::created, Comparator.reverseOrder()));
        return rows.stream().map(Row::task).toList();
    }

    /** {@code docker service ls} and one {@code service inspect} of the stack's services, in one request. */
    static DockerCli.StackServices stackServices(DockerEngine engine, StackName stack) {
        Map<String, String> query = new HashMap<>(stackFilter(stack));
        query.put("status", "true");
        List<JsonNode> services = new ArrayList<>();
        engine.get("/services", query).forEach(services::add);
        services.sort(Comparator.comparing(s -> s.path("Spec").path("Name").asText(), EngineQueries::naturalCompare));
        List<ServiceState> states = new ArrayList<>();
        List<DockerCli.Rollout> rollouts = new ArrayList<>();
        Set<String> notRestarted = new HashSet<>();
        for (JsonNode s : services) {
            String name = s.path("Spec").path("Name").asText();
            JsonNode status = s.path("ServiceStatus");
            JsonNode update = s.path("UpdateStatus");
            String state = update.path("State").asText("");
            states.add(new ServiceState(
                    name,
                    status.path("RunningTasks").asInt(0),
                    status.path("DesiredTasks").asInt(0),
                    state.isEmpty() ? Optional.empty() : Optional.of(state)));
            JsonNode previous = s.path("PreviousSpec").path("TaskTemplate");
            boolean changed =
                    !previous.isMissingNode() && !previous.equals(s.path("Spec").path("TaskTemplate"));
            long started = update.hasNonNull("StartedAt")
                    ? time(update.path("StartedAt")).getEpochSecond()
                    : 0;
            rollouts.add(new DockerCli.Rollout(name, changed, state, Math.max(0, started)));
            if (!DockerCli.replacesFailedTasks(s.path("Spec").path("TaskTemplate"))) {
                notRestarted.add(name);
            }
        }
        return new DockerCli.StackServices(states, rollouts, notRestarted);
    }

    private static Map<String, String> stackFilter(StackName stack) {
        return Map.of("filters", "{\"label\":[\"" + DockerCli.STACK_LABEL + "=" + stack.value() + "\"]}");
    }

    private static Instant time(JsonNode node) {
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    static String capitalized(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** go-units' {@code HumanDuration}, which {@code docker stack ps} prints a task's state age with. */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /** The CLI's natural order ("app.2" before "app.10"): runs of digits compare by value. */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String p = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String q = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int d = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
                if (d != 0) {
                    return d;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
