package org.coopcloud.recipeci.internal.deploy.docker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on 127.0.0.1 (an ephemeral port) that pipes each connection it accepts to a unix socket: the JVM's
 * half of the bridge into the {@code proxy} network. Test traffic leaves the harness on 127.0.0.1 only, and the only
 * other thing the harness connects to is the socket file. A connection accepted while the socket cannot be reached
 * (the edge still starting, or gone) is closed at once, which a client sees as an empty reply — "not yet".
 */
final class LoopbackPipe implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final ServerSocketChannel server;
    private final UnixDomainSocketAddress socket;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private Thread acceptor;

    private LoopbackPipe(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = UnixDomainSocketAddress.of(socket);
    }

    /**
     * Listens on 127.0.0.1 and serves connections on a daemon thread until closed.
     *
     * @param name names the threads (the app's stack and the target)
     */
    static LoopbackPipe open(Path socket, String name) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        LoopbackPipe pipe = new LoopbackPipe(server, socket);
        pipe.acceptor = daemon("recipe-ci-bridge-" + name, pipe::accept);
        return pipe;
    }

    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("the bridge's listener is closed", e);
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            SocketChannel upstream;
            try {
                upstream = SocketChannel.open(socket);
            } catch (IOException e) {
                quietly(client);
                continue;
            }
            open.add(client);
            open.add(upstream);
            AtomicInteger ended = new AtomicInteger();
            String name = Thread.currentThread().getName();
            daemon(name + "-up", () -> copy(client, upstream, ended));
            daemon(name + "-down", () -> copy(upstream, client, ended));
        }
    }

    /**
     * Copies until end of stream, then half-closes the other side (HTTP/1.0 clients close their side first); the
     * second direction to end, or an error in either, closes both.
     */
    private void copy(SocketChannel from, SocketChannel to, AtomicInteger ended) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
            if (ended.incrementAndGet() < 2) {
                return;
            }
        } catch (IOException e) {
            // reset, or cut by close(): close both
        }
        for (SocketChannel channel : List.of(from, to)) {
            open.remove(channel);
            quietly(channel);
        }
    }

    /**
     * Stops listening and cuts every connection still open. Returns once the port is closed: a channel blocked in
     * {@code accept} is only really closed when its thread has let go of it.
     */
    @Override
    public void close() {
        quietly(server);
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel channel : List.copyOf(open)) {
            quietly(channel);
        }
        open.clear();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all that is left to do
        }
    }
}
