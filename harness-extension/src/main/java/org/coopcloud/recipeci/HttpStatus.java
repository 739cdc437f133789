package org.coopcloud.recipeci;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The status of one {@code GET} through an app's front door, with the app's own {@code Host} header (as Traefik
 * would route it). A plain HTTP/1.1 exchange on a socket (TLS for an {@code https} front door, with the domain as
 * SNI): the JDK's clients refuse to set {@code Host}, and a probe needs nothing but the status line. Through the
 * bridge, an app with no task to answer gives an empty reply or a reset: an {@link IOException}, "not yet".
 */
final class HttpStatus {
    private HttpStatus() {}

    static int get(DeployedApp app, String path) throws IOException {
        URI base = app.baseUrl();
        int timeout = Math.toIntExact(app.profile().httpTimeout().toMillis());
        try (Socket socket = open(base, timeout)) {
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
            if (parts.length < 2) {
                throw new IOException("a malformed HTTP status line: " + status);
            }
            try {
                return Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IOException("a malformed HTTP status line: " + status, e);
            }
        }
    }

    /** A connected socket to the base URL: plain, or TLS for {@code https} (certificates checked as usual). */
    static Socket open(URI base, int timeoutMillis) throws IOException {
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(base.getHost(), port), timeoutMillis);
            if (!tls) {
                return plain;
            }
            SSLSocket secure = (SSLSocket)
                    ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, base.getHost(), port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(timeoutMillis);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
