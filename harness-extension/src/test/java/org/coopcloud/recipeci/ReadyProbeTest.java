package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ready-made probes against real sockets on 127.0.0.1, and what every probe can be tuned with. */
class ReadyProbeTest {
    private final StubApp app = new StubApp();

    @Test
    void httpIsReadyWhenThePathAnswersAnAcceptedStatus_withTheAppsHostHeader() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        AtomicReference<String> host = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        try {
            app.port = server.getAddress().getPort();
            ReadyProbe probe = ReadyProbe.http("/health");

            assertThat(probe.probe(app)).isEqualTo(ReadyProbe.Answer.notYet("HTTP 503 (not accepted)"));
            status.set(200);
            assertThat(probe.probe(app)).isEqualTo(ReadyProbe.Answer.ready("HTTP 200"));
            assertThat(host.get()).isEqualTo(app.domain().value());
            assertThat(probe.describe()).isEqualTo("ready at /health");
            assertThat(probe.stable()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpPathsStartWithASlash() {
        assertThatThrownBy(() -> ReadyProbe.http("health")).isInstanceOf(RecipeConfigurationException.class);
        assertThatThrownBy(() -> ReadyProbe.http(null)).isInstanceOf(RecipeConfigurationException.class);
    }

    @Test
    void tcpIsReadyWhenTheFrontDoorAcceptsAConnection() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            app.port = socket.getLocalPort();
            assertThat(ReadyProbe.tcp().probe(app).ready()).isTrue();
        }
        assertThat(ReadyProbe.tcp().probe(app).ready()).as("closed port").isFalse();
    }

    @Test
    void ofTurnsACheckIntoAProbeNamedByItsDescription() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ReadyProbe probe = ReadyProbe.of("db accepts queries", a -> calls.incrementAndGet() > 1);

        assertThat(probe.probe(app)).isEqualTo(ReadyProbe.Answer.notYet("not yet: db accepts queries"));
        assertThat(probe.probe(app)).isEqualTo(ReadyProbe.Answer.ready("db accepts queries"));
        assertThat(probe.describe()).isEqualTo("db accepts queries");
    }

    @Test
    void ofRefusesNullsWhenTheProbeIsMade() {
        assertThatThrownBy(() -> ReadyProbe.of(null, a -> true)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ReadyProbe.of("x", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anyProbe_aLambdaToo_canAskForSeveralReadyAnswersInARow() throws Exception {
        ReadyProbe own = a -> ReadyProbe.Answer.ready("mine");
        ReadyProbe stable = own.stable(3);

        assertThat(stable.stable()).isEqualTo(3);
        assertThat(stable.probe(app)).isEqualTo(ReadyProbe.Answer.ready("mine"));
        assertThat(ReadyProbe.http("/x").stable(2).describe()).isEqualTo("ready at /x");
        assertThat(stable.stable(1).stable()).isEqualTo(1);
    }

    @Test
    void stableIsBetweenOneAndAHundred() {
        ReadyProbe own = a -> ReadyProbe.Answer.ready("mine");

        assertThatThrownBy(() -> own.stable(0))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("between 1 and 100");
        assertThatThrownBy(() -> own.stable(101)).isInstanceOf(RecipeConfigurationException.class);
        assertThat(own.stable(100).stable()).isEqualTo(100);
    }
}
