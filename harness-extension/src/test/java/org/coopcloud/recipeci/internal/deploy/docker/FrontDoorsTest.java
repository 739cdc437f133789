package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.deploy.FrontDoor;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.deploy.docker.FrontDoorSettings.Mode;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.Test;

/**
 * The front door with {@code recipeci.front-door=traefik}: no edge, each router by its domain through the host's own
 * DNS and Traefik. (No Traefik runs here, so what is tested is the URLs and headers a run would use.)
 */
class FrontDoorsTest {
    private static final AppDomain DOMAIN = new AppDomain("hell-abc123.ci.example.org");

    private final FrontDoors doors = doors(Mode.TRAEFIK, RunLog.consoleOnly());

    private static FrontDoors doors(Mode mode, RunLog log) {
        return new FrontDoors(
                new DockerCli(new CommandRunner(), Map.of()),
                new FrontDoorSettings(mode, Path.of("/nonexistent/recipe-ci-edge"), "test"),
                log,
                List.of());
    }

    private static TraefikRouters.AppRouters routers() {
        StackConfig config = StackConfig.parse(
                """
                services:
                  app:
                    networks: [proxy]
                    deploy:
                      labels:
                        traefik.enable: "true"
                        traefik.http.routers.web.rule: Host(`hell-abc123.ci.example.org`, `www.hell-abc123.ci.example.org`)
                        traefik.http.routers.web.service: web
                        traefik.http.routers.admin.rule: Host(`admin.hell-abc123.ci.example.org`)
                        traefik.http.routers.admin.service: web
                        traefik.http.routers.dashboard.rule: Host(`traefik.hell-abc123.ci.example.org`)
                        traefik.http.routers.dashboard.service: api@internal
                        traefik.http.services.web.loadbalancer.server.port: "8080"
                networks:
                  proxy: {external: true}
                """,
                "t");
        return TraefikRouters.forDomain(config, DOMAIN, "t");
    }

    @Test
    void everyRouterIsReachedByItsDomainOverHttps_withItsHostHeader() {
        doors.open(DOMAIN, routers());

        FrontDoor door = doors.await(DOMAIN);

        assertThat(door.main().baseUrl()).isEqualTo(URI.create("https://hell-abc123.ci.example.org"));
        assertThat(door.main().host()).isEqualTo("hell-abc123.ci.example.org");
        assertThat(door.entrance("admin").baseUrl()).isEqualTo(URI.create("https://admin.hell-abc123.ci.example.org"));
        assertThat(door.entrance("admin").host()).isEqualTo("admin.hell-abc123.ci.example.org");
        assertThat(door.entrance("dashboard").via()).isEqualTo("Traefik");
    }

    @Test
    void anAppWhoseOnlyRouterTraefikServesItselfGetsNoBridge_andTheRunLogSaysWhy() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        FrontDoors bridged = doors(
                Mode.BRIDGE, new RunLog(new PrintStream(console, true, StandardCharsets.UTF_8), Optional.empty()));
        StackConfig config = StackConfig.parse(
                """
                services:
                  app:
                    networks: [proxy]
                    deploy:
                      labels:
                        traefik.enable: "true"
                        traefik.http.services.traefik.loadbalancer.server.port: web
                        traefik.http.routers.traefik.rule: Host(`hell-abc123.ci.example.org`)
                        traefik.http.routers.traefik.service: api@internal
                networks:
                  proxy: {external: true}
                """,
                "t");

        bridged.open(DOMAIN, TraefikRouters.forDomain(config, DOMAIN, "t"));

        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains(DOMAIN + ": no bridge to open — router traefik sends its traffic to api@internal, which is"
                        + " served by Traefik itself");
        assertThat(bridged.await(DOMAIN).unreachable()).containsKey("traefik");
    }

    @Test
    void anAppThisProcessDidNotDeployHasNoFrontDoor() {
        assertThatThrownBy(() -> doors.await(DOMAIN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no front door to " + DOMAIN);
    }
}
