package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM's half of the bridge: 127.0.0.1 to a unix socket, with an echo server standing in for the edge. */
class LoopbackPipeTest {
    @TempDir
    Path dir;

    @Test
    void bytesGoBothWays_andTheClientsEndOfStreamReachesTheOtherSide() throws Exception {
        Path socket = dir.resolve("0.sock");
        try (ServerSocketChannel edge = echo(socket);
                LoopbackPipe pipe = LoopbackPipe.open(socket, "test");
                Socket client = new Socket(InetAddress.getLoopbackAddress(), pipe.port())) {
            client.setSoTimeout(5000);
            client.getOutputStream()
                    .write("GET / HTTP/1.0\r\nHost: a.example.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            String echoed = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(echoed).isEqualTo("GET / HTTP/1.0\r\nHost: a.example.org\r\n\r\n");
        }
    }

    @Test
    void withNothingBehindTheSocketAConnectionIsClosedAtOnce() throws Exception {
        try (LoopbackPipe pipe = LoopbackPipe.open(dir.resolve("missing.sock"), "test");
                Socket client = new Socket(InetAddress.getLoopbackAddress(), pipe.port())) {
            client.setSoTimeout(5000);
            long started = System.nanoTime();

            int first = readOrReset(client.getInputStream());

            assertThat(first).as("end of stream or reset: an empty reply").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void closingCutsOpenConnectionsAndStopsListening() throws Exception {
        Path socket = dir.resolve("0.sock");
        try (ServerSocketChannel edge = echo(socket)) {
            LoopbackPipe pipe = LoopbackPipe.open(socket, "test");
            int port = pipe.port();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.setSoTimeout(5000);
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).isEqualTo('x');

                pipe.close();

                assertThat(readOrReset(client.getInputStream())).isEqualTo(-1);
            }
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .isInstanceOf(IOException.class);
        }
    }

    private static int readOrReset(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A unix-socket echo server that half-closes when its client does. */
    private static ServerSocketChannel echo(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel peer = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocate(1024);
                    while (peer.read(buffer) >= 0) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            peer.write(buffer);
                        }
                        buffer.clear();
                    }
                    peer.shutdownOutput();
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server;
    }
}
