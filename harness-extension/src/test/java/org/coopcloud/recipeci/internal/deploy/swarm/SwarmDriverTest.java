package org.coopcloud.recipeci.internal.deploy.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.coopcloud.recipeci.internal.deploy.AppSecret;
import org.junit.jupiter.api.Test;

/** What the swarm driver's run log says of an app's secrets and compose, without Docker. */
class SwarmDriverTest {
    @Test
    void theRunLogNamesEachGeneratedSecretWithItsLength_neverItsValue() {
        List<AppSecret> generated = List.of(
                new AppSecret("seeds_pw", "SECRET_SEEDS_PW_VERSION", "v1", "s_seeds_pw_v1", OptionalInt.empty(), true),
                new AppSecret(
                        "secret_key_base",
                        "SECRET_SECRET_KEY_BASE_VERSION",
                        "v1",
                        "s_secret_key_base_v1",
                        OptionalInt.of(128),
                        true));

        assertThat(SwarmDriver.describe(generated))
                .isEqualTo("2 secrets generated: seeds_pw 32 characters, secret_key_base 128 characters"
                        + " (length=128)");
        assertThat(SwarmDriver.describe(generated.subList(0, 1)))
                .isEqualTo("1 secret generated: seeds_pw 32 characters");
        assertThat(SwarmDriver.describe(List.of())).isEqualTo("no secrets generated");
    }

    @Test
    void theRunLogShowsTheComposeFileChainAsExpanded_andTheConfigNames() {
        assertThat(SwarmDriver.describe(
                        List.of("compose.yml", "compose.postgres.yml"),
                        true,
                        List.of("s_app_entrypoint_v4", "s_pg_backup_v6")))
                .isEqualTo("with compose.yml, compose.postgres.yml (COMPOSE_FILE); configs s_app_entrypoint_v4,"
                        + " s_pg_backup_v6");
        assertThat(SwarmDriver.describe(List.of("compose.yml"), false, List.of()))
                .isEqualTo("with compose.yml (no COMPOSE_FILE: the default)");
    }
}
