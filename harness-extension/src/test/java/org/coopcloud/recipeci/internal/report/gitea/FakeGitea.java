package org.coopcloud.recipeci.internal.report.gitea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a Gitea server on 127.0.0.1, for the reporting tests (no Gitea can run here). It serves the five
 * calls a run makes the way Gitea's API documents them — the paths of {@code routers/api/v1}, {@code token}
 * authorisation, JSON bodies, 201 for what it creates, 401/404/422 with Gitea's {@code {"message": …}} errors — keeps
 * one repository with one open pull request, and records every request it receives and every rule a request broke.
 * It can also answer 500 to everything, or never answer.
 */
final class FakeGitea implements AutoCloseable {
    static final String OWNER = "coop-cloud";
    static final String HEAD_SHA = "0123456789abcdef0123456789abcdef01234567";

    enum Mode {
        NORMAL,
        FAILING,
        HANGING,
        /** Answers 200 at once, then sends its body a byte at a time, forever. */
        TRICKLING,
        /** Answers every request with a 307 to the same path on {@link #redirectTo}. */
        REDIRECTING
    }

    /** One request as it arrived. */
    record Request(String method, String path, String query, String authorization, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** Everything of the request that could carry a token by mistake. */
        String exceptAuthorization() {
            return method + " " + path + "?" + query + " " + contentType + " " + body;
        }
    }

    /** A commit status as Gitea stored it. */
    record Status(String sha, String state, String targetUrl, String description, String context) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATES = Set.of("pending", "success", "error", "failure", "warning");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-gitea");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final String token;
    private final String repo;
    private final long pull;
    private volatile Mode mode = Mode.NORMAL;
    private volatile URI redirectTo;
    private volatile String head = HEAD_SHA;
    private volatile int pageSize;
    private volatile int claimedTotal = -1;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<Long, String> comments = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Status> statuses = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private long nextId = 100;

    FakeGitea(String token, String repo, long pull) throws IOException {
        this.token = token;
        this.repo = repo;
        this.pull = pull;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    FakeGitea mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Redirects every request to the same path on {@code other} (another server, as far as a client can tell). */
    FakeGitea redirectTo(URI other) {
        this.redirectTo = other;
        return mode(Mode.REDIRECTING);
    }

    /** Pages the comment list as a paginating server would, at most {@code size} a page (Gitea does not). */
    FakeGitea pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** Answers {@code total} in X-Total-Count whatever the list holds, as a broken proxy or server might. */
    FakeGitea claimTotal(int total) {
        this.claimedTotal = total;
        return this;
    }

    /** Moves the pull request's head, as a push to its branch does. */
    FakeGitea head(String sha) {
        this.head = sha;
        return this;
    }

    /** A comment somebody else left on the pull request before the run. */
    synchronized long addComment(String body) {
        long id = nextId++;
        comments.put(id, body);
        return id;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Map<Long, String> comments() {
        synchronized (comments) {
            return new LinkedHashMap<>(comments);
        }
    }

    List<Status> statuses() {
        return List.copyOf(statuses);
    }

    /** Requests that broke the API's rules (no JSON content type, a body that does not parse). */
    List<String> violations() {
        return List.copyOf(violations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    String.valueOf(exchange.getRequestURI().getRawQuery()),
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                    body);
            requests.add(request);
            if (mode == Mode.HANGING) {
                closing.await(5, TimeUnit.MINUTES);
                return;
            }
            if (mode == Mode.TRICKLING) {
                exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write('[');
                while (!closing.await(100, TimeUnit.MILLISECONDS)) {
                    out.write(' ');
                    out.flush();
                }
                return;
            }
            if (mode == Mode.REDIRECTING) {
                exchange.getResponseHeaders().set("Location", redirectTo + request.path());
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            if (mode == Mode.FAILING) {
                send(exchange, 500, error("database is locked"));
                return;
            }
            if (!request.authorization().equals("token " + token)) {
                send(exchange, 401, error("token is required"));
                return;
            }
            try {
                route(exchange, request);
            } catch (AssertionError e) {
                violations.add(e.getMessage());
                send(exchange, 400, error(e.getMessage()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void route(HttpExchange exchange, Request r) throws IOException {
        String base = "/api/v1/repos/" + OWNER + "/" + repo;
        Matcher status = Pattern.compile(Pattern.quote(base) + "/statuses/([0-9a-f]{40})")
                .matcher(r.path());
        Matcher edit =
                Pattern.compile(Pattern.quote(base) + "/issues/comments/(\\d+)").matcher(r.path());
        String issueComments = base + "/issues/" + pull + "/comments";
        if (r.method().equals("GET") && r.path().equals(base + "/pulls/" + pull)) {
            ObjectNode pr =
                    JSON.createObjectNode().put("id", 7).put("number", pull).put("state", "open");
            pr.putObject("head").put("label", "feature").put("ref", "feature").put("sha", head);
            pr.putObject("base").put("label", "main").put("ref", "main").put("sha", "f".repeat(40));
            send(exchange, 200, pr);
        } else if (r.method().equals("GET") && r.path().equals(issueComments)) {
            // Gitea answers every comment and their number in X-Total-Count; with a page size set, the stand-in
            // pages them the way Gitea's paginated lists do (page, limit; 1-based).
            List<ObjectNode> all = new ArrayList<>();
            comments().forEach((id, text) -> all.add(comment(id, text)));
            int limit = pageSize == 0
                    ? all.size()
                    : Math.min(pageSize, query(r, "limit").orElse(pageSize));
            int page = Math.max(1, query(r, "page").orElse(1));
            ArrayNode list = JSON.createArrayNode();
            all.stream().skip((long) (page - 1) * limit).limit(limit).forEach(list::add);
            exchange.getResponseHeaders()
                    .set("X-Total-Count", String.valueOf(claimedTotal < 0 ? all.size() : claimedTotal));
            send(exchange, 200, list);
        } else if (r.method().equals("POST") && r.path().equals(issueComments)) {
            String text = requireJson(r).path("body").asText("");
            if (text.isEmpty()) {
                send(exchange, 422, error("[Body]: Required"));
                return;
            }
            send(exchange, 201, comment(addComment(text), text));
        } else if (r.method().equals("PATCH") && edit.matches()) {
            long id = Long.parseLong(edit.group(1));
            if (!comments().containsKey(id)) {
                send(exchange, 404, error("comment does not exist [id: " + id + "]"));
                return;
            }
            String text = requireJson(r).path("body").asText("");
            comments.put(id, text);
            send(exchange, 200, comment(id, text));
        } else if (r.method().equals("POST") && status.matches()) {
            JsonNode json = requireJson(r);
            String state = json.path("state").asText("");
            if (!STATES.contains(state)) {
                send(exchange, 422, error("invalid state '" + state + "'"));
                return;
            }
            Status stored = new Status(
                    status.group(1),
                    state,
                    json.path("target_url").asText(""),
                    json.path("description").asText(""),
                    json.path("context").asText(""));
            statuses.add(stored);
            ObjectNode answer = JSON.createObjectNode()
                    .put("id", statuses.size())
                    .put("state", state)
                    .put("target_url", stored.targetUrl())
                    .put("description", stored.description())
                    .put("context", stored.context())
                    .put("created_at", "2024-05-01T12:00:00Z");
            answer.putObject("creator").put("id", 3).put("login", "recipe-ci-bot");
            send(exchange, 201, answer);
        } else {
            send(exchange, 404, error("The target couldn't be found."));
        }
    }

    private static Optional<Integer> query(Request r, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + name + "=(\\d{1,6})(?:&|$)").matcher(r.query());
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static JsonNode requireJson(Request r) {
        if (!r.contentType().startsWith("application/json")) {
            throw new AssertionError(r.method() + " " + r.path() + " sent Content-Type " + r.contentType());
        }
        return r.json();
    }

    private ObjectNode comment(long id, String text) {
        ObjectNode c = JSON.createObjectNode()
                .put("id", id)
                .put("html_url", url() + "/" + OWNER + "/" + repo + "/pulls/" + pull + "#issuecomment-" + id)
                .put("body", text)
                .put("created_at", "2024-05-01T12:00:00Z")
                .put("updated_at", "2024-05-01T12:00:00Z");
        c.putObject("user").put("id", 3).put("login", "recipe-ci-bot");
        return c;
    }

    private ObjectNode error(String message) {
        ObjectNode e = JSON.createObjectNode().put("message", message).put("url", url() + "/api/swagger");
        e.putArray("errors");
        return e;
    }

    private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
