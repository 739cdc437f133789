package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.StackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merged compose as {@code docker stack config} prints it (paths made absolute), checked before a deploy. */
class ComposeChecksTest {
    @TempDir
    Path checkout;

    private void check(String services, String topLevel, List<Path> hostMounts) {
        String yaml = "version: \"3.8\"\nservices:\n  app:\n    image: busybox\n" + services + topLevel;
        ComposeChecks.check(StackConfig.parse(yaml, "test"), checkout, hostMounts, "recipe 'x' at main");
    }

    private void check(String services, String topLevel) {
        check(services, topLevel, List.of());
    }

    @Test
    void aRecipeThatDeclaresWhatItUsesPasses() throws Exception {
        Files.writeString(checkout.resolve("entry.sh"), "#!/bin/sh\n");
        assertThatCode(() -> check(
                        "    secrets: [db]\n    configs: [{source: entry}]\n    networks: [proxy]\n"
                                + "    volumes:\n      - {type: volume, source: data, target: /data}\n"
                                + "      - {type: bind, source: " + checkout.resolve("entry.sh") + ", target: /e}\n",
                        "secrets:\n  db: {external: true, name: x_db_v1}\nconfigs:\n  entry:\n    file: "
                                + checkout.resolve("entry.sh") + "\nnetworks:\n  proxy: {external: true}\n"
                                + "volumes:\n  data: {}\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void anUndefinedSecretIsRefusedWithTheCause() {
        assertThatThrownBy(() -> check("    secrets: [db_password]\n", ""))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("service app uses secret 'db_password'")
                .hasMessageContaining("undefined secret");
    }

    @Test
    void undefinedConfigsVolumesAndNetworksAreRefused() {
        assertThatThrownBy(() -> check("    configs: [entry]\n", "")).hasMessageContaining("config 'entry'");
        assertThatThrownBy(() -> check("    volumes:\n      - {type: volume, source: nv, target: /x}\n", ""))
                .hasMessageContaining("volume 'nv'");
        assertThatThrownBy(() -> check("    networks: [backend]\n", "")).hasMessageContaining("network 'backend'");
    }

    @Test
    void aServiceWithoutAnImageIsRefused() {
        String yaml = "version: \"3.8\"\nservices:\n  app:\n    image: busybox\n  db:\n    environment: {A: b}\n";
        assertThatThrownBy(() -> ComposeChecks.check(StackConfig.parse(yaml, "t"), checkout, List.of(), "r"))
                .hasMessageContaining("service db has no image");
    }

    @Test
    void aSecretOrConfigFileOutsideTheCheckoutIsRefused() {
        assertThatThrownBy(() -> check("    secrets: [s]\n", "secrets:\n  s:\n    file: /etc/shadow\n"))
                .hasMessageContaining("secret 's' is read from /etc/shadow, outside the recipe's checkout");
        assertThatThrownBy(() -> check("    configs: [c]\n", "configs:\n  c:\n    file: /etc/hostname\n"))
                .hasMessageContaining("config 'c' is read from /etc/hostname");
    }

    @Test
    void aSymlinkOutOfTheCheckoutDoesNotCountAsInside() throws Exception {
        Files.createSymbolicLink(checkout.resolve("host"), Path.of("/etc"));
        assertThatThrownBy(() -> check(
                        "    configs: [c]\n", "configs:\n  c:\n    file: " + checkout.resolve("host/hostname") + "\n"))
                .hasMessageContaining("outside the recipe's checkout");
    }

    @Test
    void aBindMountOfAHostPathIsRefusedUnlessTheOperatorAllowsIt() {
        String sock =
                "    volumes:\n      - {type: bind, source: /var/run/docker.sock, target: /var/run/docker.sock}\n";
        assertThatThrownBy(() -> check(sock, ""))
                .hasMessageContaining("bind-mounts /var/run/docker.sock from the host")
                .hasMessageContaining("recipeci.host-mounts=/var/run/docker.sock");
        assertThatCode(() -> check(sock, "", List.of(Path.of("/var/run/docker.sock"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check(
                        "    volumes:\n      - {type: bind, source: /, target: /host}\n",
                        "",
                        List.of(Path.of("/var/run/docker.sock"))))
                .hasMessageContaining("bind-mounts / from the host");
    }

    @Test
    void aBackupVolumePathThatLeavesItsVolumeIsRefused() {
        assertThatThrownBy(() -> check(
                        "    deploy:\n      labels:\n        backupbot.backup: \"true\"\n"
                                + "        backupbot.backup.volumes.data.path: \"../../etc\"\n"
                                + "    volumes:\n      - {type: volume, source: data, target: /data}\n",
                        "volumes:\n  data: {}\n"))
                .hasMessageContaining("'..' leaves it");
    }

    @Test
    void aLocalVolumeThatMountsAHostPathIsHeldToTheBindMountRule() {
        String uses = "    volumes:\n      - {type: volume, source: data, target: /data}\n";
        String etc = "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: /etc}\n";
        assertThatThrownBy(() -> check(uses, etc))
                .hasMessageContaining("volume 'data' mounts /etc from the host")
                .hasMessageContaining("recipeci.host-mounts=/etc");
        assertThatThrownBy(() -> check(uses, "volumes:\n  data:\n    driver_opts: {type: ext4, device: /dev/sda1}\n"))
                .hasMessageContaining("mounts /dev/sda1 from the host");
        assertThatCode(() -> check(uses, etc, List.of(Path.of("/etc")))).doesNotThrowAnyException();
        assertThatCode(() -> check(
                        uses,
                        "volumes:\n  data:\n    driver_opts: {type: nfs, o: \"addr=10.0.0.1\", device: \":/x\"}\n"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(
                        uses, "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: " + checkout + "}\n"))
                .doesNotThrowAnyException();
    }

    private void envFiles(String envFile, Map<String, String> env) throws Exception {
        Files.writeString(
                checkout.resolve("compose.yml"),
                "version: \"3.8\"\nservices:\n  app:\n    image: busybox\n    env_file: " + envFile + "\n");
        ComposeChecks.envFilesBeforeReading(checkout, List.of("compose.yml"), env, "recipe 'x' at main");
    }

    @Test
    void anEnvFileOutsideTheCheckoutIsRefusedBeforeDockerReadsIt() throws Exception {
        // docker stack config would read it, quote a line of it in its error, or put its lines into the app's env
        assertThatThrownBy(() -> envFiles("/etc/passwd", Map.of()))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("reads env_file /etc/passwd, outside the recipe's checkout");
        assertThatThrownBy(() -> envFiles("[app.env, ../../../../etc/hostname]", Map.of()))
                .hasMessageContaining("env_file ../../../../etc/hostname, outside");
        assertThatThrownBy(() -> envFiles("[{path: ~/.docker/config.json}]", Map.of()))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> envFiles("${ENV_DIR}/passwd", Map.of("ENV_DIR", "/etc")))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> envFiles("\"$(cat /etc/x)\"", Map.of())).hasMessageContaining("cannot resolve");
        Files.createSymbolicLink(checkout.resolve("host.env"), Path.of("/etc/hostname"));
        assertThatThrownBy(() -> envFiles("host.env", Map.of())).hasMessageContaining("outside");
    }

    @Test
    void anEnvFileOfTheRecipeIsRead() throws Exception {
        Files.writeString(checkout.resolve("app.env"), "A=b\n");
        assertThatCode(() -> envFiles("./app.env", Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> envFiles("${NAME:-app}.env", Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> envFiles("[{path: app.env, required: false}]", Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void anEnvFileInTheMergedComposeIsCheckedToo() {
        assertThatThrownBy(() -> check("    env_file: [/etc/passwd]\n", ""))
                .hasMessageContaining("env_file /etc/passwd, outside");
    }

    private static void names(String topLevel) {
        String yaml = "version: \"3.8\"\nservices:\n  app:\n    image: busybox\n" + topLevel;
        ComposeChecks.namesInStack(StackConfig.parse(yaml, "t"), new StackName("x_test"), "recipe 'x' at main");
    }

    @Test
    void aSecretConfigOrVolumeNamedOutsideTheAppsNamespaceIsRefused() {
        // another app's secret or data volume would be handed to the app under test
        assertThatThrownBy(() -> names("secrets:\n  key: {external: true, name: traefik_example_com_key_v1}\n"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("secret 'key' is traefik_example_com_key_v1 on the swarm (external)")
                .hasMessageContaining("${STACK_NAME}_key_${SECRET_KEY_VERSION}");
        assertThatThrownBy(() -> names("secrets:\n  db_password: {external: true}\n"))
                .hasMessageContaining("secret 'db_password' is db_password");
        assertThatThrownBy(() -> names("volumes:\n  data: {name: portainer_data}\n"))
                .hasMessageContaining("volume 'data' is portainer_data");
        assertThatThrownBy(() -> names("volumes:\n  data: {external: true}\n")).hasMessageContaining("volume 'data'");
        assertThatThrownBy(() -> names("configs:\n  c: {external: true, name: other_c}\n"))
                .hasMessageContaining("config 'c'");
    }

    @Test
    void theAppsOwnNamesPass() {
        assertThatCode(() -> names("secrets:\n  key: {external: true, name: x_test_key_v1}\n"
                        + "volumes:\n  data: {}\n  cache: {name: x_test_cache}\nconfigs:\n  c: {file: /x}\n"
                        + "networks:\n  proxy: {external: true}\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void hostMountsMustBeAbsolutePaths() {
        assertThatThrownBy(() -> HostMounts.parse("var/run/docker.sock"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("not an absolute host path");
        org.assertj.core.api.Assertions.assertThat(HostMounts.parse(" /var/run/docker.sock , /etc/localtime"))
                .containsExactly(Path.of("/var/run/docker.sock"), Path.of("/etc/localtime"));
    }
}
