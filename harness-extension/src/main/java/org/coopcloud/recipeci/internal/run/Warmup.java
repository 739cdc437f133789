package org.coopcloud.recipeci.internal.run;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import com.sun.net.httpserver.HttpServer;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The JVM's slow first uses, paid on a thread of their own while the first deploy converges (seconds in which the run
 * only waits for swarm) instead of on the run's path: rest-assured's first request (Groovy's start-up, then Apache
 * HttpClient's: measured 1.2 to 5.4 s on a busy 2-core host), which the first tier test would pay. Started any
 * earlier, its thousand-odd classes compete with JUnit's discovery and the run's set-up for the cores of a small host.
 * (The libc binding needs no warming: it costs milliseconds, and the lifetime guards make it on the first line of the
 * run.) The request is built the way {@link LiveApp#http()} builds them, sent to an answer of this thread's own on
 * 127.0.0.1, and its JSON checked with a path and matchers as tier tests check an app's. Nothing of the run
 * depends on it; once per JVM.
 */
final class Warmup {
    private Warmup() {}

    /** Starts the warm-up unless it ran already in this JVM. */
    static void start() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            Thread warmup = new Thread(Warmup::warm, "recipe-ci-warmup");
            warmup.setDaemon(true);
            warmup.start();
        }

        static void touch() {}
    }

    /** What the warm-up's own answer says; the checks below read it back the way tier tests read an app's JSON. */
    private static final byte[] ANSWER = "{\"notes\":[\"warm\"],\"count\":1}".getBytes(StandardCharsets.US_ASCII);

    /** Whether the warm-up request was answered and its checks passed: everything on the way was used. */
    static boolean warm() {
        // One request to an answer of its own on 127.0.0.1 (the JDK's HTTP server), checked as tier tests check
        // theirs: the HTTP client, the response's parsing, and a JSON path with Hamcrest matchers (its first use
        // compiles Groovy: about 0.3 s).
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        } catch (IOException e) {
            return false;
        }
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            exchange.getResponseBody().write(ANSWER);
            exchange.close();
        });
        server.start();
        try {
            given().spec(new RequestSpecBuilder()
                            .setBaseUri(
                                    "http://127.0.0.1:" + server.getAddress().getPort())
                            .addHeader("Host", "warmup.invalid")
                            .setConfig(RestAssuredConfig.config()
                                    .httpClient(HttpClientConfig.httpClientConfig()
                                            .setParam("http.connection.timeout", 2000)
                                            .setParam("http.socket.timeout", 2000)))
                            .build())
                    .get("/")
                    .then()
                    .statusCode(200)
                    .body("notes", hasItem("warm"))
                    .body("count", greaterThanOrEqualTo(1));
            return true;
        } catch (Exception | LinkageError | AssertionError e) {
            // Nothing of the run depends on it (rest-assured throws checked exceptions undeclared): whatever was
            // loaded and initialised on the way is warm now.
            return false;
        } finally {
            server.stop(0);
        }
    }
}
