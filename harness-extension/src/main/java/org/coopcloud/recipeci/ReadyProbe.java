package org.coopcloud.recipeci;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * When a deployed app counts as ready, after each deploy (install, upgrade, restore). An open strategy in the manner
 * of Testcontainers' {@code WaitStrategy}: implement it, or take a ready-made one and tune it.
 *
 * <pre>{@code
 * public ReadyProbe readyProbe() {
 *     return ReadyProbe.http("/health").stable(2);                      // two good answers in a row
 * }
 * public ReadyProbe readyProbe() {
 *     return ReadyProbe.of("db accepts queries", app -> app.exec("db", "pg_isready").exitCode() == 0);
 * }
 * }</pre>
 *
 * The harness calls {@link #probe} again 100 ms after each answer until the app has answered ready {@link #stable()} times in a
 * row, within the profile's {@link RecipeProfile#deployTimeout()}; an exception from a probe fails the deploy.
 */
@FunctionalInterface
public interface ReadyProbe {
    /**
     * Probes the app once.
     *
     * @return whether it is ready now, and what it answered (shown in progress lines and failure messages)
     * @throws InterruptedException when the run is stopped while probing
     */
    Answer probe(DeployedApp app) throws InterruptedException;

    /** How many ready answers in a row make the app ready; 1 unless {@link #stable(int)} says otherwise. */
    default int stable() {
        return 1;
    }

    /** What the probe waits for, e.g. "ready at /health". */
    default String describe() {
        return "ready";
    }

    /**
     * This probe, needing {@code times} ready answers in a row (1 to 100): for apps that answer once before they
     * settle.
     *
     * @throws RecipeConfigurationException when {@code times} is out of range
     */
    default ReadyProbe stable(int times) {
        if (times < 1 || times > 100) {
            throw new RecipeConfigurationException("readyProbe stable must be between 1 and 100, not " + times);
        }
        ReadyProbe inner = this;
        return new ReadyProbe() {
            @Override
            public Answer probe(DeployedApp app) throws InterruptedException {
                return inner.probe(app);
            }

            @Override
            public int stable() {
                return times;
            }

            @Override
            public String describe() {
                return inner.describe();
            }
        };
    }

    /**
     * Ready when {@code GET path} through the app's front door answers a status the profile accepts
     * ({@link RecipeProfile#healthOk(int)}).
     *
     * @param path must start with '/'
     * @throws RecipeConfigurationException when {@code path} is null or does not start with '/'
     */
    static ReadyProbe http(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new RecipeConfigurationException("readyProbe HTTP path '" + path + "' must start with '/'");
        }
        return new ReadyProbe() {
            @Override
            public Answer probe(DeployedApp app) {
                try {
                    int status = HttpStatus.get(app, path);
                    return app.profile().healthOk(status)
                            ? Answer.ready("HTTP " + status)
                            : Answer.notYet("HTTP " + status + " (not accepted)");
                } catch (IOException e) {
                    return Answer.notYet("no answer (" + e.getClass().getSimpleName() + ")");
                }
            }

            @Override
            public String describe() {
                return "ready at " + path;
            }
        };
    }

    /**
     * Ready when something behind the app's front door accepts a TCP connection. A bridge's 127.0.0.1 port accepts
     * every connection itself and closes it at once when the app's task cannot be reached (no task yet, or nothing
     * listening on the router's port), so "accepted" means: the connection is still open {@link #TCP_HELD_OPEN} after
     * it was made, or the app spoke first. Through the host's Traefik ({@code recipeci.front-door=traefik}) it only
     * says that Traefik accepts: use {@link #http} there.
     */
    static ReadyProbe tcp() {
        return new ReadyProbe() {
            @Override
            public Answer probe(DeployedApp app) {
                URI base = app.baseUrl();
                int port = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
                try (Socket socket = new Socket()) {
                    socket.connect(
                            new InetSocketAddress(base.getHost(), port),
                            Math.toIntExact(app.profile().httpTimeout().toMillis()));
                    socket.setSoTimeout(Math.toIntExact(TCP_HELD_OPEN.toMillis()));
                    try {
                        return socket.getInputStream().read() < 0
                                ? Answer.notYet("TCP " + port + " accepted, then closed at once (nothing behind it)")
                                : Answer.ready("TCP " + port + " accepts (the app spoke first)");
                    } catch (SocketTimeoutException e) {
                        return Answer.ready("TCP " + port + " accepts");
                    }
                } catch (IOException e) {
                    return Answer.notYet(
                            "TCP " + port + " refuses (" + e.getClass().getSimpleName() + ")");
                }
            }

            @Override
            public String describe() {
                return "ready on TCP";
            }
        };
    }

    /**
     * How long a connection through the front door must stay open for {@link #tcp()} to count it as accepted. The
     * bridge closes one it cannot forward within a few milliseconds (2 ms measured on an idle host).
     */
    Duration TCP_HELD_OPEN = Duration.ofMillis(200);

    /**
     * Ready when {@code check} holds; {@code description} names it in progress lines. An exception from
     * {@code check} fails the deploy.
     *
     * @throws NullPointerException when {@code description} or {@code check} is null
     */
    static ReadyProbe of(String description, Predicate<DeployedApp> check) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(check, "check");
        return new ReadyProbe() {
            @Override
            public Answer probe(DeployedApp app) {
                return check.test(app) ? Answer.ready(description) : Answer.notYet("not yet: " + description);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /**
     * One answer of a probe.
     *
     * @param ready whether the app is ready now
     * @param detail what it answered, for humans
     */
    record Answer(boolean ready, String detail) {
        public static Answer ready(String detail) {
            return new Answer(true, detail);
        }

        public static Answer notYet(String detail) {
            return new Answer(false, detail);
        }
    }
}
