package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontDoorTest {
    private static final FrontDoor.Entrance WEB = new FrontDoor.Entrance(
            "web", URI.create("http://127.0.0.1:40001"), "a.example.org", "edge bridge to tasks.a_web:80");
    private static final FrontDoor.Entrance ADMIN = new FrontDoor.Entrance(
            "admin", URI.create("http://127.0.0.1:40002"), "admin.a.example.org", "edge bridge to tasks.a_api:9000");

    @Test
    void routersAreFoundByName_theMainOneFirst() {
        FrontDoor door = new FrontDoor("web", Map.of("web", WEB, "admin", ADMIN), Map.of());

        assertThat(door.main()).isEqualTo(WEB);
        assertThat(door.entrance("admin")).isEqualTo(ADMIN);
        assertThat(WEB.toString())
                .isEqualTo("http://127.0.0.1:40001 (router web, Host a.example.org, edge bridge to tasks.a_web:80)");
    }

    @Test
    void anUnknownRouterIsRefusedNamingTheKnownOnes() {
        FrontDoor door =
                new FrontDoor("web", Map.of("web", WEB), Map.of("dashboard", "sends its traffic to api@internal"));

        assertThatThrownBy(() -> door.entrance("api"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Traefik router 'api'")
                .hasMessageContaining("[web]")
                .hasMessageContaining("[dashboard]");
    }

    @Test
    void anUnreachableRouterSaysWhy() {
        FrontDoor door = new FrontDoor("dashboard", Map.of(), Map.of("dashboard", "sends its traffic to api@internal"));

        assertThatThrownBy(door::main)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the Traefik router 'dashboard' cannot be reached from here: it sends its traffic to"
                        + " api@internal (it is the app's main router)");
    }

    @Test
    void theMainRouterMustBeAmongTheRouters() {
        assertThatThrownBy(() -> new FrontDoor("web", Map.of("admin", ADMIN), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
