package org.coopcloud.recipeci;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The status of one {@code GET} through an app's front door, with the app's own {@code Host} header (as Traefik
 * would route it). A plain HTTP/1.1 exchange on a socket: the JDK's clients refuse to set {@code Host}, and a probe
 * needs nothing but the status line.
 */
final class HttpStatus {
    private HttpStatus() {}

    static int get(DeployedApp app, String path) throws IOException {
        URI base = app.baseUrl();
        int timeout = Math.toIntExact(app.profile().httpTimeout().toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + app.domain().value()
                            + "\r\nUser-Agent: recipe-ci\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            if (status == null || !status.startsWith("HTTP/")) {
                throw new IOException("no HTTP status line (" + status + ")");
            }
            String[] parts = status.split(" ", 3);
            try {
                return Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IOException("a malformed HTTP status line: " + status, e);
            }
        }
    }
}
