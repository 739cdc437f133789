package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.junit.jupiter.api.Test;

/** The compose file that puts every service in DNS round-robin mode where swarm VIPs do not route. */
class DnsrrOverlayTest {
    @Test
    void everyServiceGetsDnsrr_inTheComposeVersionOfTheRecipe() {
        StackConfig config = StackConfig.parse(
                """
                version: "3.8"
                services:
                  app: {image: a}
                  db: {image: b, deploy: {endpoint_mode: vip}}
                """,
                "t");
        List<String> kept = new ArrayList<>();

        String overlay = DnsrrOverlay.text(config, kept).orElseThrow();

        StackConfig parsed = StackConfig.parse(overlay, "overlay");
        assertThat(parsed.version().asText()).isEqualTo("3.8");
        assertThat(parsed.serviceNames()).containsExactly("app", "db");
        assertThat(parsed.service("db").path("deploy").path("endpoint_mode").asText())
                .isEqualTo("dnsrr");
        assertThat(kept).isEmpty();
    }

    @Test
    void aServicePublishingAnIngressPortKeepsItsVip() {
        StackConfig config = StackConfig.parse(
                """
                version: "3.8"
                services:
                  app: {image: a, ports: [{mode: ingress, target: 80, published: 8080}]}
                  hostport: {image: a, ports: [{mode: host, target: 80, published: 8081}]}
                """,
                "t");
        List<String> kept = new ArrayList<>();

        String overlay = DnsrrOverlay.text(config, kept).orElseThrow();

        assertThat(StackConfig.parse(overlay, "overlay").serviceNames()).containsExactly("hostport");
        assertThat(kept).containsExactly("app");
    }

    @Test
    void noServiceThatCanTakeItMeansNoOverlay() {
        StackConfig config = StackConfig.parse("services:\n  app: {image: a, ports: [\"8080:80\"]}\n", "t");
        assertThat(DnsrrOverlay.text(config, new ArrayList<>())).isEmpty();
    }
}
