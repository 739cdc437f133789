package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ready-made probes against what a bridge's 127.0.0.1 port does: accept every connection, then close it at once
 * when there is no task to reach, or hold it open when the app accepted.
 */
class ReadyProbeThroughTheBridgeTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void tcpIsNotReadyWhileTheFrontDoorClosesConnectionsAtOnce() throws Exception {
        ReadyProbe.Answer answer = ReadyProbe.tcp().probe(app(serve(Socket::close)));

        assertThat(answer.ready()).isFalse();
        assertThat(answer.detail()).contains("closed at once");
    }

    @Test
    void tcpIsReadyWhenTheConnectionStaysOpen() throws Exception {
        List<Socket> held = new ArrayList<>();
        ReadyProbe.Answer answer = ReadyProbe.tcp().probe(app(serve(held::add)));

        assertThat(answer.ready()).isTrue();
        assertThat(answer.detail()).endsWith("accepts");
    }

    @Test
    void tcpIsNotReadyWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        ReadyProbe.Answer answer = ReadyProbe.tcp().probe(app(port));

        assertThat(answer.ready()).isFalse();
        assertThat(answer.detail()).contains("refuses");
    }

    @Test
    void httpTreatsAnEmptyReplyAsNotYet_andSendsTheDomainAsHost() throws Exception {
        List<String> requests = new ArrayList<>();
        int port = serve(socket -> {
            byte[] head = new byte[256];
            int n = socket.getInputStream().read(head);
            requests.add(new String(head, 0, Math.max(n, 0)));
            socket.close();
        });

        ReadyProbe.Answer answer = ReadyProbe.http("/health").probe(app(port));

        assertThat(answer.ready()).isFalse();
        assertThat(answer.detail()).startsWith("no answer");
        assertThat(requests).singleElement().asString().contains("GET /health HTTP/1.1\r\nHost: app.example.org\r\n");
    }

    /** What the fake front door does with a connection it accepted. */
    private interface OnAccept {
        void accept(Socket socket) throws IOException;
    }

    /** A 127.0.0.1 listener that hands each accepted connection to {@code onAccept}. */
    private int serve(OnAccept onAccept) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    try {
                        onAccept.accept(socket);
                    } catch (IOException e) {
                        // the probe gave up on it
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    /** A deployed app whose front door is 127.0.0.1:{@code port}, with the default profile. */
    private static DeployedApp app(int port) {
        RecipeProfile profile = RecipeProfile.defaults(new RecipeName("app"));
        return (DeployedApp) Proxy.newProxyInstance(
                DeployedApp.class.getClassLoader(),
                new Class<?>[] {DeployedApp.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "baseUrl" -> URI.create("http://127.0.0.1:" + port);
                    case "domain" -> new AppDomain("app.example.org");
                    case "profile" -> profile;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
