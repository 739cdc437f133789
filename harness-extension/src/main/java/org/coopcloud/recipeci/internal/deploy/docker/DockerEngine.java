package org.coopcloud.recipeci.internal.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;

/**
 * Read-only GETs to the Docker Engine API over its unix socket: what a convergence poll asks many times a second,
 * without starting a {@code docker} process each time (50–150 ms of wall and tens of ms of CPU on a small host). Only
 * for a client that talks to the local socket — no {@code DOCKER_HOST} or a {@code unix://} one, no docker context
 * but the default — since the CLI's contexts, TLS and ssh transports are not reproduced here. Callers fall back to the
 * CLI on any {@link Failure}.
 *
 * <p>HTTP/1.1, one connection per request ({@code Connection: close}), non-blocking with a selector so every call
 * ends by its deadline. The API version is chosen once, from {@code GET /version}: 1.41 (the oldest that reports
 * service replicas itself) when the engine still speaks it, else the engine's oldest.
 */
final class DockerEngine {
    static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    private static final String PINNED_API = "1.41";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_RESPONSE_BYTES = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why an engine call gave no answer: the caller asks the CLI instead. */
    static final class Failure extends RecipeCiException {
        private final boolean timedOut;

        Failure(String message) {
            this(message, false);
        }

        Failure(String message, boolean timedOut) {
            super(message);
            this.timedOut = timedOut;
        }

        Failure(String message, Throwable cause) {
            super(message, cause);
            this.timedOut = false;
        }

        /** Whether the engine did not answer within the call's deadline. */
        boolean timedOut() {
            return timedOut;
        }
    }

    /**
     * The engine answered that an object asked about by name is not there (404): an answer, not a failure of the
     * engine, so the CLI is not asked again.
     */
    static final class Gone extends RecipeCiException {
        Gone(String message) {
            super(message);
        }
    }

    private final Path socket;
    private final Duration timeout;
    private volatile String prefix;
    private volatile boolean usable = true;
    /** Cuts a call's timeout to what a budget in force leaves (see {@link #capTimeouts}). */
    private volatile UnaryOperator<Duration> timeoutCap = UnaryOperator.identity();

    private final AtomicInteger timeoutsInARow = new AtomicInteger();

    DockerEngine(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * A test hook: every query goes through the docker CLI, where a PATH shim can hold it open (the fault matrix
     * holds a run in its convergence wait that way).
     */
    static final String CLI_ONLY = "recipeci.it.docker-cli-only";

    /**
     * The engine a docker child with {@code dockerEnv} on top of this process's environment would talk to, when it is
     * the local unix socket and no docker context is in play; empty otherwise (the CLI answers everything then).
     */
    static Optional<DockerEngine> forClient(Map<String, String> dockerEnv) {
        if (Boolean.getBoolean(CLI_ONLY)) {
            return Optional.empty();
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(dockerEnv);
        Path config = Optional.ofNullable(env.get("DOCKER_CONFIG"))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                // As the docker CLI finds its config: under $HOME (Java's user.home comes from passwd instead).
                .orElse(Path.of(
                        Optional.ofNullable(env.get("HOME"))
                                .filter(h -> !h.isBlank())
                                .orElse(System.getProperty("user.home")),
                        ".docker"))
                .resolve("config.json");
        return socketFor(env, currentContext(config)).map(path -> new DockerEngine(path, CALL_TIMEOUT));
    }

    /**
     * The socket for a client environment, or empty when the CLI must answer: a {@code DOCKER_HOST} other than
     * {@code unix://…}, or a docker context other than {@code default} named by {@code DOCKER_CONTEXT} or the config
     * file (stricter than docker's own precedence, on purpose: when in doubt, the CLI).
     */
    static Optional<Path> socketFor(Map<String, String> env, Optional<String> configContext) {
        String context = env.getOrDefault("DOCKER_CONTEXT", "");
        if (!context.isEmpty() && !context.equals("default")) {
            return Optional.empty();
        }
        if (configContext.filter(c -> !c.isEmpty() && !c.equals("default")).isPresent()) {
            return Optional.empty();
        }
        String host = env.getOrDefault("DOCKER_HOST", "");
        if (host.isEmpty()) {
            return Optional.of(Path.of(DEFAULT_SOCKET));
        }
        if (host.startsWith("unix://") && host.length() > "unix://".length()) {
            return Optional.of(Path.of(host.substring("unix://".length())));
        }
        return Optional.empty();
    }

    private static Optional<String> currentContext(Path config) {
        try {
            if (!Files.isRegularFile(config)) {
                return Optional.empty();
            }
            return Optional.of(
                    JSON.readTree(config.toFile()).path("currentContext").asText(""));
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable " + config); // not provably the default: let the CLI decide
        }
    }

    /** Every later call ends by {@code cap} of its timeout (a teardown's budget: what is left of it). */
    void capTimeouts(UnaryOperator<Duration> cap) {
        timeoutCap = cap;
    }

    /** False once the engine proved unreachable or too old; the caller then stops asking it. */
    boolean usable() {
        return usable;
    }

    Path socket() {
        return socket;
    }

    /**
     * {@code GET /v<version><path>?<query>} as JSON.
     *
     * @throws Failure when the engine cannot be reached, does not answer in time, answers an error (docker's message
     *     in it) or something that is not JSON
     * @throws CommandInterruptedException when the calling thread is interrupted, as a docker child would be
     */
    JsonNode get(String path, Map<String, String> query) {
        String target = apiPrefix() + path + queryString(query);
        JsonNode answer = EngineResponse.parse(exchange(target)).json("GET " + target);
        timeoutsInARow.set(0);
        return answer;
    }

    /**
     * {@code GET /v<version><path>} as JSON, or empty when the engine answers 404 (the object is not there).
     *
     * @throws Failure as {@link #get}, for any other error
     */
    Optional<JsonNode> find(String path) {
        String target = apiPrefix() + path;
        EngineResponse response = EngineResponse.parse(exchange(target));
        timeoutsInARow.set(0);
        return response.status() == 404 ? Optional.empty() : Optional.of(response.json("GET " + target));
    }

    /** A string as a JSON string literal, for a filter. */
    static String jsonString(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String apiPrefix() {
        String p = prefix;
        if (p != null) {
            return p;
        }
        JsonNode version = EngineResponse.parse(exchange("/version")).json("GET /version");
        String api = version.path("ApiVersion").asText("");
        String oldest = version.path("MinAPIVersion").asText(PINNED_API);
        if (api.isEmpty() || compare(api, PINNED_API) < 0) {
            usable = false;
            throw new Failure("the engine speaks API " + api + "; recipe-ci asks it directly from " + PINNED_API);
        }
        p = "/v" + (compare(oldest, PINNED_API) > 0 ? oldest : PINNED_API);
        prefix = p;
        return p;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(
                    i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        return new TreeMap<>(query)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&", "?", ""));
    }

    /** Sends one request and reads until the engine closes the connection, within the call's deadline. */
    private byte[] exchange(String target) {
        Duration callTimeout = timeoutCap.apply(timeout);
        long deadline = System.nanoTime() + callTimeout.toNanos();
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: recipe-ci\r\n"
                        + "Accept: application/json\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            try {
                if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                    await(key, SelectionKey.OP_CONNECT, deadline, callTimeout, target);
                    channel.finishConnect();
                }
            } catch (IOException e) {
                interruptedCheck(target); // an interrupt closes the channel: no news about the engine
                usable = false;
                throw new Failure("cannot connect to the engine at " + socket + ": " + e.getMessage(), e);
            }
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(key, SelectionKey.OP_WRITE, deadline, callTimeout, target);
                }
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (true) {
                int n = channel.read(buffer);
                if (n < 0) {
                    return in.toByteArray();
                }
                if (n == 0) {
                    await(key, SelectionKey.OP_READ, deadline, callTimeout, target);
                    continue;
                }
                in.write(buffer.array(), 0, n);
                buffer.clear();
                if (in.size() > MAX_RESPONSE_BYTES) {
                    throw new Failure(
                            "GET " + target + ": the engine's answer exceeds " + MAX_RESPONSE_BYTES + " bytes");
                }
            }
        } catch (IOException e) {
            interruptedCheck(target);
            throw new Failure("GET " + target + " over " + socket + " failed: " + e, e);
        }
    }

    private void await(SelectionKey key, int op, long deadline, Duration callTimeout, String target)
            throws IOException {
        key.interestOps(op);
        while (true) {
            interruptedCheck(target);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                // A hung engine is not asked again after its second deadline in a row: every later query would wait
                // out its own first (one stall on a loaded host is forgiven). The CLI answers from then on, under the
                // command timeouts and the teardown's budget.
                boolean hung = timeoutsInARow.incrementAndGet() >= 2;
                if (hung) {
                    usable = false;
                }
                throw new Failure(
                        "GET " + target + ": the engine did not answer within " + callTimeout.toMillis() + " ms"
                                + (hung ? ", twice in a row; the docker CLI answers from now on" : ""),
                        true);
            }
            if (key.selector().select(Math.max(1, left / 1_000_000)) > 0) {
                key.selector().selectedKeys().clear();
                key.interestOps(0);
                return;
            }
        }
    }

    private static void interruptedCheck(String target) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CommandInterruptedException(Command.of("docker-engine", "GET", target));
        }
    }
}
