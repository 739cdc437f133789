package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.coopcloud.recipeci.internal.process.CommandInterruptedException;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.wait.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine client against a real unix socket served by a tiny fake engine; and when it is used at all. */
class DockerEngineTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheLocalSocketWithoutAContext_isAskedDirectly() {
        assertThat(DockerEngine.socketFor(Map.of(), Optional.empty())).contains(Path.of("/var/run/docker.sock"));
        assertThat(DockerEngine.socketFor(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock"), Optional.of("")))
                .contains(Path.of("/run/user/1000/docker.sock"));
        assertThat(DockerEngine.socketFor(Map.of("DOCKER_CONTEXT", "default"), Optional.of("default")))
                .isPresent();

        assertThat(DockerEngine.socketFor(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), Optional.empty()))
                .isEmpty();
        assertThat(DockerEngine.socketFor(Map.of("DOCKER_HOST", "ssh://ci@host"), Optional.empty()))
                .isEmpty();
        assertThat(DockerEngine.socketFor(Map.of("DOCKER_CONTEXT", "remote"), Optional.empty()))
                .isEmpty();
        assertThat(DockerEngine.socketFor(Map.of(), Optional.of("rootless"))).isEmpty();
    }

    @Test
    void negotiatesOnce_thenGetsJsonWithTheFilterEncoded() throws Exception {
        List<String> requests = new ArrayList<>();
        try (FakeEngine engine = new FakeEngine(dir.resolve("d.sock"), request -> {
            requests.add(request);
            if (request.startsWith("GET /version ")) {
                return ok("{\"ApiVersion\":\"1.43\",\"MinAPIVersion\":\"1.12\"}");
            }
            return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n";
        })) {
            DockerEngine client = new DockerEngine(engine.path, Duration.ofSeconds(5));

            assertThat(client.get("/tasks", Map.of("filters", "{\"label\":[\"a=b c\"]}")))
                    .isEmpty();
            client.get("/services", Map.of());
        }

        assertThat(requests).hasSize(3);
        assertThat(requests.get(1))
                .startsWith("GET /v1.41/tasks?filters=%7B%22label%22%3A%5B%22a%3Db+c%22%5D%7D HTTP/1.1\r\n")
                .contains("Host: docker\r\n", "Connection: close\r\n");
        assertThat(requests.get(2)).startsWith("GET /v1.41/services HTTP/1.1");
    }

    @Test
    void anEngineThatWantsANewerVersion_isAskedInItsOldest() throws Exception {
        List<String> requests = new ArrayList<>();
        try (FakeEngine engine = new FakeEngine(dir.resolve("d.sock"), request -> {
            requests.add(request);
            return request.startsWith("GET /version ")
                    ? ok("{\"ApiVersion\":\"1.52\",\"MinAPIVersion\":\"1.44\"}")
                    : ok("[]");
        })) {
            new DockerEngine(engine.path, Duration.ofSeconds(5)).get("/tasks", Map.of());
        }
        assertThat(requests.get(1)).startsWith("GET /v1.44/tasks ");
    }

    @Test
    void anEngineOlderThan141_isNotUsed() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("d.sock"), r -> ok("{\"ApiVersion\":\"1.40\"}"))) {
            DockerEngine client = new DockerEngine(engine.path, Duration.ofSeconds(5));
            assertThatThrownBy(() -> client.get("/tasks", Map.of())).isInstanceOf(DockerEngine.Failure.class);
            assertThat(client.usable()).isFalse();
        }
    }

    @Test
    void anEngineThatDoesNotAnswer_failsTheCallAtItsDeadline_andAfterTwiceInARowIsNotAskedAgain() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("d.sock"), r -> null)) {
            DockerEngine client = new DockerEngine(engine.path, Duration.ofMillis(300));
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.get("/tasks", Map.of()))
                    .isInstanceOf(DockerEngine.Failure.class)
                    .hasMessageContaining("did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(client.usable()).as("one stall is forgiven").isTrue();
            assertThatThrownBy(() -> client.get("/tasks", Map.of())).hasMessageContaining("twice in a row");
            assertThat(client.usable())
                    .as("a hung engine would cost every later query its deadline")
                    .isFalse();
        }
    }

    @Test
    void underATeardownBudget_aHungEngineIsGivenUpAtTheBudgetsEnd_andNoDockerCommandIsStartedAfterIt()
            throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("b.sock"), r -> null)) {
            // The engine's own deadline is far beyond the budget: the budget must cut it.
            CommandRunner runner = new CommandRunner();
            DockerCli docker = withoutCli(runner, new DockerEngine(engine.path, Duration.ofSeconds(60)));
            long started = System.nanoTime();
            try (CommandRunner.Scope budget = runner.limitTo(Deadline.in(Duration.ofMillis(500)), "a test budget")) {
                assertThatThrownBy(() -> docker.objects().names(DockerObjects.Kind.VOLUME, Optional.empty()))
                        .hasMessageContaining("not started: a test budget is spent");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the budget, not the engine's 60 s")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void underATeardownBudget_oneEngineStallIsLeftToTheCli_butAnEngineHungTwiceStartsNoDockerCommandEither()
            throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("t.sock"), r -> null)) {
            CommandRunner runner = new CommandRunner();
            DockerCli docker = withoutCli(runner, new DockerEngine(engine.path, Duration.ofMillis(300)));
            try (CommandRunner.Scope budget = runner.limitTo(Deadline.in(Duration.ofMinutes(1)), "a test budget")) {
                assertThatThrownBy(() -> docker.objects().names(DockerObjects.Kind.VOLUME, Optional.empty()))
                        .as("one stall: the CLI is asked, as outside a budget")
                        .hasMessageNotContaining("not started");
                assertThat(runner.gaveUpOn("docker")).isFalse();

                assertThatThrownBy(() -> docker.objects().names(DockerObjects.Kind.VOLUME, Optional.empty()))
                        .as("hung twice in a row: a hung daemon answers the CLI no better")
                        .hasMessageContaining("did not answer earlier");
                assertThat(runner.gaveUpOn("docker")).isTrue();
            }
        }
    }

    @Test
    void anInterruptedCall_isInterruptedLikeADockerChild_andTheEngineStaysInUse() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("d.sock"), r -> null)) {
            DockerEngine client = new DockerEngine(engine.path, Duration.ofSeconds(30));
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            interrupter.start();
            try {
                assertThatThrownBy(() -> client.get("/tasks", Map.of()))
                        .isInstanceOf(CommandInterruptedException.class);
            } finally {
                // Read (and clear) the flag before the join: a join with the flag set throws while the interrupter
                // is still alive.
                boolean kept = Thread.interrupted();
                interrupter.join();
                assertThat(kept).as("the interrupt is kept").isTrue();
            }
            assertThat(client.usable()).isTrue();
        }
    }

    @Test
    void aMissingSocket_makesTheEngineUnusable() {
        DockerEngine client = new DockerEngine(dir.resolve("none.sock"), Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.get("/tasks", Map.of()))
                .isInstanceOf(DockerEngine.Failure.class)
                .hasMessageContaining("cannot connect");
        assertThat(client.usable()).isFalse();
    }

    @Test
    void statesReadAsTheCliPrintsThem() {
        assertThat(EngineQueries.humanDuration(Duration.ofMillis(400))).isEqualTo("Less than a second");
        assertThat(EngineQueries.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(EngineQueries.humanDuration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(EngineQueries.humanDuration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(EngineQueries.humanDuration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(EngineQueries.humanDuration(Duration.ofMinutes(80))).isEqualTo("About an hour");
        assertThat(EngineQueries.humanDuration(Duration.ofHours(3))).isEqualTo("3 hours");
        assertThat(EngineQueries.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(EngineQueries.capitalized("rejected")).isEqualTo("Rejected");
        assertThat(EngineQueries.naturalCompare("app.2", "app.10")).isNegative();
        assertThat(EngineQueries.naturalCompare("app_db.1", "app_web.1")).isNegative();
        assertThat(EngineQueries.naturalCompare("app.1", "app.1")).isZero();
    }

    private static String ok(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + json;
    }

    /** Answers each connection's request with what {@code answer} says, or holds it silent on null. */
    /** Docker through {@code engine}, with no docker CLI on its PATH: a fall-back fails at once, saying if it started. */
    private DockerCli withoutCli(CommandRunner runner, DockerEngine engine) {
        return new DockerCli(runner, Map.of("PATH", dir.resolve("no-bin").toString()), Optional.of(engine), n -> {});
    }

    private static final class FakeEngine implements AutoCloseable {
        final Path path;
        private final ServerSocketChannel server;
        private final Thread thread;
        private final List<SocketChannel> held = new CopyOnWriteArrayList<>();

        FakeEngine(Path path, Function<String, String> answer) throws Exception {
            this.path = path;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            thread = new Thread(() -> {
                try {
                    while (true) {
                        SocketChannel c = server.accept();
                        ByteBuffer in = ByteBuffer.allocate(8192);
                        String request = "";
                        while (!request.contains("\r\n\r\n") && c.read(in) > 0) {
                            request = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
                        }
                        String reply = answer.apply(request);
                        if (reply == null) {
                            held.add(c);
                            continue;
                        }
                        c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                        c.close();
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }
}
