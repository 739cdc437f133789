package org.coopcloud.recipeci.recipes.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private git forge in miniature: HTTP on 127.0.0.1 that answers only requests with HTTP Basic credentials whose
 * password is the token (any user name, as Gitea does), and hands them to git's own {@code git http-backend} (CGI)
 * serving the bare repositories under a root directory. Everything else gets 401 with a Basic challenge.
 */
final class GitHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final Path root;
    private final String token;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    private GitHttpServer(Path root, String token) throws IOException {
        this.root = root;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
    }

    static GitHttpServer serve(Path root, String token) throws IOException {
        GitHttpServer git = new GitHttpServer(root, token);
        git.server.start();
        return git;
    }

    /** The clone URL of {@code <root>/<repository>}. */
    String url(String repository) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository;
    }

    /** Requests answered with 401. */
    int refused() {
        return refused.get();
    }

    /** Requests handed to git http-backend. */
    int served() {
        return served.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"recipe-ci test forge\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            served.incrementAndGet();
            backend(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        return colon >= 0 && pair.substring(colon + 1).equals(token);
    }

    /** One CGI request: the request body to git's stdin, its headers and body back to the client. */
    private void backend(HttpExchange exchange) throws IOException, InterruptedException {
        ProcessBuilder cgi = new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = cgi.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getRawPath());
        env.put(
                "QUERY_STRING",
                exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : exchange.getRequestURI().getRawQuery());
        env.put("REMOTE_USER", "recipe-ci");
        env.put("REMOTE_ADDR", "127.0.0.1");
        copyHeader(exchange, "Content-Type", env, "CONTENT_TYPE");
        copyHeader(exchange, "Content-Length", env, "CONTENT_LENGTH");
        copyHeader(exchange, "Content-Encoding", env, "HTTP_CONTENT_ENCODING");
        copyHeader(exchange, "Git-Protocol", env, "GIT_PROTOCOL");
        Process process = cgi.start();
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                exchange.getRequestBody().transferTo(in);
            } catch (IOException e) {
                // git stopped reading: its exit status and output tell the client
            }
        });
        feeder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        feeder.join(TimeUnit.SECONDS.toMillis(5));
        respond(exchange, output);
    }

    private static void copyHeader(HttpExchange exchange, String header, Map<String, String> env, String variable) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(variable, value);
        }
    }

    /** Splits CGI output into its header lines (a {@code Status:} among them) and the body. */
    private static void respond(HttpExchange exchange, byte[] output) throws IOException {
        String text = new String(output, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int bodyStart = end + 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            bodyStart = end + 2;
        }
        if (end < 0) {
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        int status = 200;
        for (String line : text.substring(0, end).split("\r?\n")) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        int length = output.length - bodyStart;
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            exchange.getResponseBody().write(output, bodyStart, length);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
