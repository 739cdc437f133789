package org.coopcloud.recipeci.internal.report.gitea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.internal.text.FailureText;

/**
 * The calls of Gitea's REST API (v1) a run makes: the pull request's head commit, its comments (list, create,
 * edit) and a commit status. Every request carries the token in the {@code Authorization} header only, has the
 * configured connect and response timeout, and follows no redirect (the header would travel with it).
 */
final class GiteaClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_PAGES = 20;

    /** A comment on the pull request, as far as a run needs it. */
    record Comment(long id, String body) {}

    private final GiteaConfig config;
    private final HttpClient http;

    GiteaClient(GiteaConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** {@code GET /repos/{owner}/{repo}/pulls/{index}} → {@code head.sha}. */
    String headSha() throws GiteaCallFailed {
        JsonNode pull = call("GET", config.repoPath() + "/pulls/" + config.pullRequest(), Optional.empty(), 200);
        String sha = pull.path("head").path("sha").asText("");
        if (!sha.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            throw new GiteaCallFailed(
                    "GET " + config.repoPath() + "/pulls/" + config.pullRequest() + " answered no head commit", false);
        }
        return sha;
    }

    /**
     * {@code GET /repos/{owner}/{repo}/issues/{index}/comments}: every comment of the pull request. Gitea answers
     * them all at once and says how many in {@code X-Total-Count}; a server that pages them (fewer than its total)
     * is asked for the next pages with {@code page} and {@code limit}, up to {@value #MAX_PAGES} of them — a comment
     * missed here would be posted a second time.
     */
    List<Comment> comments() throws GiteaCallFailed {
        Map<Long, Comment> comments = new LinkedHashMap<>();
        Answer page = exchange("GET", commentsPath(), Optional.empty(), 200);
        int pageSize = page.json().size();
        for (int next = 2; ; next++) {
            int before = comments.size();
            for (JsonNode c : page.json()) {
                long id = c.path("id").asLong();
                comments.putIfAbsent(id, new Comment(id, c.path("body").asText("")));
            }
            boolean more = page.totalCount().orElse(0L) > comments.size();
            // A page that brought nothing new: the server ignores `page`; stop rather than ask forever.
            if (!more || comments.size() == before || next > MAX_PAGES) {
                return List.copyOf(comments.values());
            }
            page = exchange("GET", commentsPath() + "?limit=" + pageSize + "&page=" + next, Optional.empty(), 200);
        }
    }

    /** {@code POST /repos/{owner}/{repo}/issues/{index}/comments}; answers the new comment's id. */
    long createComment(String body) throws GiteaCallFailed {
        ObjectNode json = JSON.createObjectNode().put("body", body);
        return call("POST", commentsPath(), Optional.of(json), 201).path("id").asLong();
    }

    /** {@code PATCH /repos/{owner}/{repo}/issues/comments/{id}}. */
    void editComment(long id, String body) throws GiteaCallFailed {
        ObjectNode json = JSON.createObjectNode().put("body", body);
        call("PATCH", config.repoPath() + "/issues/comments/" + id, Optional.of(json), 200);
    }

    /** {@code POST /repos/{owner}/{repo}/statuses/{sha}}. */
    void createStatus(String sha, Verdict verdict) throws GiteaCallFailed {
        ObjectNode json = JSON.createObjectNode()
                .put("state", verdict.state().apiValue())
                .put("description", verdict.description())
                .put("context", config.context());
        config.buildUrl().ifPresent(u -> json.put("target_url", u.toString()));
        call("POST", config.repoPath() + "/statuses/" + sha, Optional.of(json), 201);
    }

    private String commentsPath() {
        return config.repoPath() + "/issues/" + config.pullRequest() + "/comments";
    }

    /** A JSON answer and the item count the server reports for a list ({@code X-Total-Count}). */
    private record Answer(JsonNode json, Optional<Long> totalCount) {}

    private JsonNode call(String method, String path, Optional<JsonNode> body, int expected) throws GiteaCallFailed {
        return exchange(method, path, body, expected).json();
    }

    private Answer exchange(String method, String path, Optional<JsonNode> body, int expected) throws GiteaCallFailed {
        URI uri = config.api(path);
        String what = method + " " + uri;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Authorization", config.token().authorization())
                .header("Accept", "application/json");
        if (body.isPresent()) {
            request.header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString(body.get().toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new GiteaCallFailed(
                    what + " got no answer within " + config.timeout().toMillis() + " ms", true);
        } catch (IOException e) {
            throw new GiteaCallFailed(what + " failed: " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GiteaCallFailed(what + " was interrupted", true);
        }
        if (response.statusCode() != expected) {
            throw new GiteaCallFailed(
                    what + " answered HTTP " + response.statusCode() + hint(response) + message(response.body()),
                    false);
        }
        Optional<Long> total = response.headers()
                .firstValue("X-Total-Count")
                .filter(v -> v.matches("\\d{1,9}"))
                .map(Long::parseLong);
        try {
            return new Answer(JSON.readTree(response.body().isEmpty() ? "{}" : response.body()), total);
        } catch (IOException e) {
            throw new GiteaCallFailed(what + " answered HTTP " + expected + " but no JSON", false);
        }
    }

    private static String hint(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 300 && status < 400) {
            // Only where to: the Location's origin, never its path or query (they could carry anything).
            String target = response.headers()
                    .firstValue("Location")
                    .map(GiteaClient::origin)
                    .orElse("elsewhere");
            return " (the server redirects to " + target + ", and the token does not follow redirects: set"
                    + " recipeci.gitea.url to the server's own address, e.g. https rather than http)";
        }
        return switch (status) {
            case 401 -> " (the token is not accepted: check RECIPECI_GITEA_TOKEN)";
            case 403 -> " (the token's account may not do this: it needs write access to issues and statuses)";
            case 404 -> " (no such repository or pull request for this token: check recipeci.gitea.repo and PR)";
            default -> "";
        };
    }

    private static String origin(String location) {
        try {
            URI uri = new URI(location);
            return uri.getScheme() == null || uri.getRawAuthority() == null
                    ? "a path on the same server"
                    : uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return "an address that is not a URL";
        }
    }

    /** Gitea's own error message ({"message": …}), first line, shortened; never the request. */
    private static String message(String body) {
        String text;
        try {
            text = JSON.readTree(body).path("message").asText("");
        } catch (IOException e) {
            text = "";
        }
        text = FailureText.firstMeaningfulLine(text);
        if (text.length() > 160) {
            text = text.substring(0, 160) + "…";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    /**
     * A call that did not do what it should. {@code unreachable}: the server did not answer at all (timeout,
     * refused, reset) — the rest of the report is skipped rather than waited for again.
     */
    static final class GiteaCallFailed extends Exception {
        private final boolean unreachable;

        GiteaCallFailed(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        boolean unreachable() {
            return unreachable;
        }
    }
}
