package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.coopcloud.recipeci.internal.deploy.docker.TraefikRouters.AppRouters;
import org.coopcloud.recipeci.internal.deploy.docker.TraefikRouters.Router;
import org.junit.jupiter.api.Test;

/** Finding an app's routers in `docker stack config` output, as Traefik's swarm provider would. */
class TraefikRoutersTest {
    private static final AppDomain DOMAIN = new AppDomain("hell-abc123.ci.example.org");
    private static final String ORIGIN = "recipe 'hello' at main";

    /** A stack with one service {@code app} on {@code proxy}, with these deploy labels (YAML map entries). */
    private static StackConfig app(String... labels) {
        StringBuilder yaml = new StringBuilder("version: \"3.8\"\nservices:\n  app:\n    image: x\n"
                + "    networks:\n      proxy: null\n    deploy:\n      labels:\n");
        for (String label : labels) {
            yaml.append("        ").append(label).append('\n');
        }
        yaml.append("networks:\n  proxy:\n    name: proxy\n    external: true\n");
        return StackConfig.parse(yaml.toString(), ORIGIN);
    }

    private static AppRouters routers(StackConfig config) {
        return TraefikRouters.forDomain(config, DOMAIN, ORIGIN);
    }

    @Test
    void theRouterWhoseHostIsTheDomainIsTheMainOne_withItsServicesPort_andTheTaskAsTarget() {
        AppRouters routers = routers(app(
                "traefik.enable: \"true\"",
                "traefik.http.routers.hell_abc.rule: Host(`hell-abc123.ci.example.org`)",
                "traefik.http.routers.hell_abc.entrypoints: web-secure",
                "traefik.http.services.hell_abc.loadbalancer.server.port: \"8080\""));

        Router main = routers.main();
        assertThat(main.name()).isEqualTo("hell_abc");
        assertThat(main.service()).isEqualTo("app");
        assertThat(main.port()).contains(8080);
        assertThat(main.target(DOMAIN.stackName())).isEqualTo("tasks.hell-abc123_ci_example_org_app:8080");
    }

    @Test
    void hostListsAndOrRulesAndRoutersNamedAnything() {
        assertThat(TraefikRouters.hosts("Host(`a.example.org`, `www.a.example.org`)"))
                .containsExactly("a.example.org", "www.a.example.org");
        assertThat(TraefikRouters.hosts("Host(`a.example.org`) || Host(`b.example.org`)"))
                .containsExactly("a.example.org", "b.example.org");
        assertThat(TraefikRouters.hosts("HostRegexp(`{x:.+}`) && PathPrefix(`/api`)"))
                .isEmpty();

        AppRouters routers = routers(app(
                "traefik.enable: \"true\"",
                "traefik.http.routers.traefik.rule: Host(`www.example.org`) || Host(`hell-abc123.ci.example.org`)",
                "traefik.http.services.web.loadbalancer.server.port: \"80\""));
        assertThat(routers.main().name()).isEqualTo("traefik");
        assertThat(routers.main().port()).contains(80);
    }

    @Test
    void aRouterWithoutAPathIsPreferred_andOtherRoutersComeAfterTheMainOne() {
        AppRouters routers = routers(app(
                "traefik.enable: \"true\"",
                "traefik.http.routers.api.rule: Host(`hell-abc123.ci.example.org`) && PathPrefix(`/api`)",
                "traefik.http.routers.api.service: backend",
                "traefik.http.routers.web.rule: Host(`hell-abc123.ci.example.org`)",
                "traefik.http.routers.web.service: frontend",
                "traefik.http.routers.admin.rule: Host(`admin.hell-abc123.ci.example.org`)",
                "traefik.http.routers.admin.service: backend",
                "traefik.http.services.frontend.loadbalancer.server.port: \"3000\"",
                "traefik.http.services.backend.loadbalancer.server.port: \"4000\""));

        assertThat(routers.main().name()).isEqualTo("web");
        assertThat(routers.main().port()).contains(3000);
        assertThat(routers.all()).extracting(Router::name).containsExactly("web", "api", "admin");
        assertThat(routers.all().get(2).hosts()).containsExactly("admin.hell-abc123.ci.example.org");
        assertThat(routers.all().get(2).port()).contains(4000);
    }

    @Test
    void labelsAsAListAreReadToo() {
        StackConfig config = StackConfig.parse(
                """
                services:
                  app:
                    networks: [proxy]
                    deploy:
                      labels:
                        - traefik.enable=true
                        - traefik.http.routers.r.rule=Host(`hell-abc123.ci.example.org`)
                        - traefik.http.services.s.loadbalancer.server.port=8080
                networks:
                  proxy:
                    external: true
                """,
                ORIGIN);
        assertThat(routers(config).main().port()).contains(8080);
    }

    @Test
    void noRouterForTheDomainIsAConfigurationErrorThatSaysWhatIsExpected() {
        assertThatThrownBy(() -> routers(app(
                        "traefik.enable: \"true\"",
                        "traefik.http.routers.other.rule: Host(`other.example.org`)",
                        "traefik.http.services.other.loadbalancer.server.port: \"80\"")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining(ORIGIN)
                .hasMessageContaining("no Traefik router for " + DOMAIN)
                .hasMessageContaining("other on app (Host other.example.org)")
                .hasMessageContaining("traefik.http.routers.<name>.rule=Host(`${DOMAIN}`)")
                .hasMessageContaining("traefik.http.services.<name>.loadbalancer.server.port=<port>")
                .hasMessageContaining("external network proxy");
    }

    @Test
    void routersOfAServiceWithoutTraefikEnableDoNotCount_andTheMessageSaysSo() {
        assertThatThrownBy(() -> routers(app(
                        "traefik.http.routers.r.rule: Host(`hell-abc123.ci.example.org`)",
                        "traefik.http.services.r.loadbalancer.server.port: \"80\"")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("routers on app, which lacks traefik.enable=true");
    }

    @Test
    void aPortThatIsNotANumberIsAConfigurationErrorNamingTheLabel() {
        assertThatThrownBy(() -> routers(app(
                        "traefik.enable: \"true\"",
                        "traefik.http.routers.r.rule: Host(`hell-abc123.ci.example.org`)",
                        "traefik.http.services.r.loadbalancer.server.port: web")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("the label traefik.http.services.r.loadbalancer.server.port on service app is"
                        + " 'web', not a port number");
    }

    @Test
    void theMainRouterWithoutAPortIsAConfigurationError() {
        assertThatThrownBy(() -> routers(app(
                        "traefik.enable: \"true\"", "traefik.http.routers.r.rule: Host(`hell-abc123.ci.example.org`)")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("has no port")
                .hasMessageContaining("loadbalancer.server.port");
    }

    /** One routed service {@code app} on the network {@code key}, declared at the top as {@code network}. */
    private static StackConfig appOn(String key, String network) {
        return StackConfig.parse(
                """
                services:
                  app:
                    networks: {%s: null}
                    deploy:
                      labels:
                        traefik.enable: "true"
                        traefik.http.routers.r.rule: Host(`hell-abc123.ci.example.org`)
                        traefik.http.services.r.loadbalancer.server.port: "8080"
                networks:
                  %s: %s
                """
                        .formatted(key, key, network),
                ORIGIN);
    }

    @Test
    void theMainRoutersServiceMustBeOnProxy() {
        assertThatThrownBy(() -> routers(appOn("internal", "{}")))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("goes to app, which is not on the external network proxy");
    }

    @Test
    void aNetworkNamedProxyUnderAnotherKeyCounts() {
        assertThat(routers(appOn("web", "{external: true, name: proxy}")).main().port())
                .contains(8080);
    }

    /** The traefik recipe's dashboard: Traefik serves {@code api@internal} itself; its unused port label is 'web'. */
    @Test
    void aRouterServedByTraefikItselfIsUnreachable_notAnError() {
        AppRouters routers = routers(app(
                "traefik.enable: \"true\"",
                "traefik.http.services.traefik.loadbalancer.server.port: web",
                "traefik.http.routers.traefik.rule: Host(`hell-abc123.ci.example.org`)",
                "traefik.http.routers.traefik.service: api@internal",
                "traefik.http.routers.traefik.middlewares: security@file"));

        assertThat(routers.main().name()).isEqualTo("traefik");
        assertThat(routers.main().port()).isEmpty();
        assertThat(routers.main().unreachable())
                .hasValueSatisfying(why -> assertThat(why).contains("api@internal", "served by Traefik itself"));
    }

    @Test
    void aServiceNamedByTheRouterMayBeDefinedOnAnotherService() {
        StackConfig config = StackConfig.parse(
                """
                services:
                  web:
                    networks: [proxy]
                    deploy:
                      labels:
                        traefik.enable: "true"
                        traefik.http.routers.r.rule: Host(`hell-abc123.ci.example.org`)
                        traefik.http.routers.r.service: api@swarm
                  api:
                    networks: [proxy]
                    deploy:
                      labels:
                        traefik.enable: "true"
                        traefik.http.services.api.loadbalancer.server.port: "9000"
                networks:
                  proxy: {external: true}
                """,
                ORIGIN);
        Router main = routers(config).main();
        assertThat(main.service()).isEqualTo("api");
        assertThat(main.port()).contains(9000);
        assertThat(main.unreachable()).isEqualTo(Optional.empty());
        assertThat(List.of(main.target(DOMAIN.stackName())))
                .containsExactly("tasks.hell-abc123_ci_example_org_api:9000");
    }
}
