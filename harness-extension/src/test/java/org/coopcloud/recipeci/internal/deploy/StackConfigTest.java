package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.junit.jupiter.api.Test;

class StackConfigTest {
    private static final StackName STACK = new StackName("bonf-1a2b3c_ci_example_org");

    /** The tail of what `docker stack config` printed here for bonfire 2.0.1+1.0.6-social-amd64. */
    private static final String BONFIRE_TAIL = String.join(
            "\n",
            "version: \"3.8\"",
            "services:",
            "  app:",
            "    image: bonfirenetworks/bonfire:1.0.6-social-amd64",
            "networks:",
            "  internal: {}",
            "  proxy:",
            "    name: proxy",
            "    external: true",
            "secrets:",
            "  encryption_salt:",
            "    name: bonf-1a2b3c_ci_example_org_encryption_salt_v1",
            "    external: true",
            "configs:",
            "  app_entrypoint:",
            "    name: bonf-1a2b3c_ci_example_org_app_entrypoint_v4",
            "    file: /tmp/bonfire/entrypoint.sh.tmpl",
            "    template_driver: golang",
            "  pg_backup:",
            "    name: bonf-1a2b3c_ci_example_org_pg_backup_v6",
            "    file: /tmp/bonfire/pg_backup.sh",
            "  unnamed:",
            "    file: ./x",
            "");

    @Test
    void readsTheSwarmNamesOfSecretsAndConfigs() {
        StackConfig config = StackConfig.parse(BONFIRE_TAIL, "bonfire");

        assertThat(config.secrets(STACK))
                .containsExactly(entry("encryption_salt", "bonf-1a2b3c_ci_example_org_encryption_salt_v1"));
        assertThat(config.configs(STACK))
                .containsEntry("app_entrypoint", "bonf-1a2b3c_ci_example_org_app_entrypoint_v4")
                .containsEntry("pg_backup", "bonf-1a2b3c_ci_example_org_pg_backup_v6")
                .containsEntry("unnamed", STACK + "_unnamed");
        config.requireNamesWithinLimit(STACK, "recipe 'bonfire' at HEAD");
    }

    @Test
    void aConfigNameOverSwarmsLimitIsRefusedNamingIt() {
        String yaml = "services:\n  app:\n    image: x\nconfigs:\n  a_rather_long_configuration_file:\n    name: "
                + STACK + "_a_rather_long_configuration_file_name_v12\n";

        assertThatThrownBy(() -> StackConfig.parse(yaml, "x").requireNamesWithinLimit(STACK, "recipe 'x' at main"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("recipe 'x' at main: config 'a_rather_long_configuration_file' would be named")
                .hasMessageContaining("(68 characters), longer than swarm's limit of 64")
                .hasMessageContaining("nothing was created");
    }

    @Test
    void aStackWithoutSecretsOrConfigsHasNone() {
        StackConfig config = StackConfig.parse("version: \"3.8\"\nservices:\n  app:\n    image: x\n", "x");
        assertThat(config.secrets(STACK)).isEmpty();
        assertThat(config.configs(STACK)).isEmpty();
    }
}
