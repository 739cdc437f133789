package org.coopcloud.recipeci.internal.run;

import static io.restassured.RestAssured.given;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;

/**
 * rest-assured's first request costs a second or more (Groovy's start-up, then Apache HttpClient's) — measured 1.2 to
 * 5.4 s on a busy 2-core host — and the first tier test pays it unless something paid it before. The install starts
 * this warm-up on a thread of its own while docker deploys, which is mostly waiting: one request built the way
 * {@link LiveApp#http()} builds them, sent to a 127.0.0.1 port that refuses it. Nothing of the run depends on it;
 * once per JVM.
 */
final class HttpWarmup {
    private HttpWarmup() {}

    /** Starts the warm-up unless it ran already in this JVM. */
    static void start() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            Thread warmup = new Thread(HttpWarmup::warm, "recipe-ci-http-warmup");
            warmup.setDaemon(true);
            warmup.setPriority(Thread.MIN_PRIORITY);
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
