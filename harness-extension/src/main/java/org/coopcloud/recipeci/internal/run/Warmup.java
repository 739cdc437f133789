package org.coopcloud.recipeci.internal.run;

import static io.restassured.RestAssured.given;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;

/**
 * The JVM's slow first uses, paid on a thread of their own while the first deploy converges (seconds in which the run
 * only waits for swarm) instead of on the run's path: rest-assured's first request (Groovy's start-up, then Apache
 * HttpClient's: measured 1.2 to 5.4 s on a busy 2-core host), which the first tier test would pay. Started any
 * earlier, its thousand-odd classes compete with JUnit's discovery and the run's set-up for the cores of a small host.
 * (The libc binding needs no warming: it costs milliseconds, and the lifetime guards make it on the first line of the
 * run.) The request is built the way {@link LiveApp#http()} builds them and sent to a 127.0.0.1 port that refuses it.
 * Nothing of the run depends on it; once per JVM.
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

    private static void warm() {
        try {
            given().spec(new RequestSpecBuilder()
                            .setBaseUri("http://127.0.0.1:1")
                            .addHeader("Host", "warmup.invalid")
                            .setConfig(RestAssuredConfig.config()
                                    .httpClient(HttpClientConfig.httpClientConfig()
                                            .setParam("http.connection.timeout", 1000)
                                            .setParam("http.socket.timeout", 1000)))
                            .build())
                    .get("/")
                    .statusCode();
        } catch (Exception | LinkageError e) {
            // Refused, as meant (rest-assured throws the checked ConnectException undeclared): the classes are
            // loaded and initialised now.
        }
    }
}
