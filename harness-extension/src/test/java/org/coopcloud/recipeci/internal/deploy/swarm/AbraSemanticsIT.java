package org.coopcloud.recipeci.internal.deploy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.RecipeEnv;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * abra's env and secret semantics on the real swarm, with a recipe made for it: the {@code COMPOSE_FILE} chain of
 * its {@code .env.sample} expands, {@code abra.sh}'s export names its config, and every secret has the length its
 * {@code # length=} modifier declares — read back inside the running container, never printed.
 */
class AbraSemanticsIT {
    private static final String IMAGE = "recipe-ci.local/hello:2.1";

    @TempDir
    Path tmp;

    private final CommandRunner runner = new CommandRunner();
    private final RunSecrets secrets = new RunSecrets();
    private SwarmDriver driver;
    private AppDomain domain;
    private Path tree;

    @BeforeEach
    void aRecipeWithAChainAbraShAndLengthModifiers() throws Exception {
        driver = new SwarmDriver(runner, RunLog.consoleOnly(), tmp.resolve("home/servers/local"));
        domain = new AppDomain("envt-" + UUID.randomUUID().toString().substring(0, 6) + ".env-it.recipe-ci.test");
        tree = Files.createDirectories(tmp.resolve("run/recipes/envt"));
        Files.writeString(
                tree.resolve(".env.sample"),
                String.join(
                        "\n",
                        "TYPE=envt",
                        "DOMAIN=envt.example.com",
                        "COMPOSE_FILE=\"compose.yml\"",
                        "",
                        "# the overlay, chained abra style",
                        "COMPOSE_FILE=\"$COMPOSE_FILE:compose.extra.yml\"",
                        "CHAINED=\"${DOMAIN}-chained\" # expanded from the line above's DOMAIN",
                        "SECRET_KEY_BASE_VERSION=v1 # length=128",
                        "SECRET_PIN_VERSION=v1 # length=12",
                        "SECRET_PLAIN_VERSION=v1",
                        ""));
        Files.writeString(tree.resolve("abra.sh"), "# vendored config versions\nexport GREETING_VERSION=v7\n");
        Files.writeString(tree.resolve("greeting.txt"), "hello from a config\n");
        Files.writeString(
                tree.resolve("compose.yml"),
                String.join(
                        "\n",
                        "version: \"3.8\"",
                        "services:",
                        "  app:",
                        "    image: " + IMAGE,
                        "    command: [\"sleep\", \"3600\"]",
                        "    init: true",
                        "    environment:",
                        "      - CHAINED",
                        "      - HOST_VARIABLE=${" + hostVariable() + ":-not from the host}",
                        "    secrets: [key_base, pin, plain]",
                        "    configs:",
                        "      - source: greeting",
                        "        target: /greeting.txt",
                        "    networks: [proxy]",
                        "    deploy:",
                        "      restart_policy: {condition: none}",
                        "      labels:",
                        "        - traefik.enable=true",
                        "        - traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)",
                        "        - traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080",
                        "networks:",
                        "  proxy:",
                        "    external: true",
                        "secrets:",
                        "  key_base: {external: true, name: \"${STACK_NAME}_key_base_${SECRET_KEY_BASE_VERSION}\"}",
                        "  pin: {external: true, name: \"${STACK_NAME}_pin_${SECRET_PIN_VERSION}\"}",
                        "  plain: {external: true, name: \"${STACK_NAME}_plain_${SECRET_PLAIN_VERSION}\"}",
                        "configs:",
                        "  greeting:",
                        "    name: ${STACK_NAME}_greeting_${GREETING_VERSION:-v0}",
                        "    file: greeting.txt",
                        ""));
        Files.writeString(
                tree.resolve("compose.extra.yml"),
                "version: \"3.8\"\nservices:\n  app:\n    environment:\n      - FROM_OVERLAY=yes\n");
    }

    @AfterEach
    void nothingIsLeft() {
        assertThat(driver.teardown(domain)).as("residuals of " + domain).isEmpty();
    }

    private RecipeSource source() {
        return new RecipeSource(
                new RecipeName("envt"),
                tree,
                "HEAD",
                Optional.empty(),
                "0123456789abcdef0123",
                Optional.empty(),
                Optional.empty(),
                List.of());
    }

    @Test
    void theChainExpands_abraShNamesTheConfig_andEverySecretHasItsDeclaredLength() {
        RecipeSource source = source();
        driver.validate(source, domain);
        AppInstance app = driver.create(source, domain, Map.of(), secrets);

        driver.deploy(app, source, Duration.ofMinutes(2));

        String stack = domain.stackName().value();
        assertThat(app.env().get("COMPOSE_FILE")).contains("compose.yml:compose.extra.yml");
        assertThat(exec("sh", "-c", "echo \"$CHAINED $FROM_OVERLAY\"")).isEqualTo(domain + "-chained yes");
        assertThat(exec("sh", "-c", "echo \"$HOST_VARIABLE\""))
                .as("docker interpolates with the app's env only, as abra does: " + hostVariable()
                        + " is the harness's")
                .isEqualTo("not from the host");
        assertThat(docker("config", "ls", "--format", "{{.Name}}")).contains(stack + "_greeting_v7");
        assertThat(exec("cat", "/greeting.txt")).isEqualTo("hello from a config");
        assertThat(exec("wc", "-c", "/run/secrets/key_base")).startsWith("128 ");
        assertThat(exec("wc", "-c", "/run/secrets/pin")).startsWith("12 ");
        assertThat(exec("wc", "-c", "/run/secrets/plain")).startsWith("32 ");
        assertThat(secrets.values()).as("the run can redact each of them").hasSize(3);
        CommandResult keyBase =
                driver.view().exec(domain, "app", List.of("cat", "/run/secrets/key_base"), Optional.empty());
        assertThat(secrets.values().contains(keyBase.stdout()))
                .as("the value in the container is the one generated (not shown)")
                .isTrue();
    }

    @Test
    void aSecretLeftToTheOperatorStopsTheRunBeforeAnythingExists() throws Exception {
        Files.writeString(
                tree.resolve(".env.sample"),
                Files.readString(tree.resolve(".env.sample")) + "SECRET_SMTP_VERSION=v1 # generate=false\n");

        assertThatThrownBy(() -> driver.validate(source(), domain))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("leaves secret 'smtp' to the operator");
        assertThatThrownBy(() -> driver.create(source(), domain, Map.of(), secrets))
                .isInstanceOf(RecipeConfigurationException.class);
        assertThat(driver.view().leftovers(domain)).isEmpty();
    }

    @Test
    void aComposeFileOutsideTheCheckoutIsRefusedBeforeAnythingExists() throws Exception {
        Files.writeString(
                tree.resolve(".env.sample"),
                Files.readString(tree.resolve(".env.sample")) + "COMPOSE_FILE=compose.yml:../../../../etc/hostname\n");

        assertThatThrownBy(() -> driver.validate(source(), domain))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'../../../../etc/hostname', which is outside the recipe's checkout");
        assertThat(driver.view().leftovers(domain)).isEmpty();
    }

    /** A variable of this JVM's environment that is neither the app's nor one the docker client needs. */
    private static String hostVariable() {
        return System.getenv().keySet().stream()
                .filter(k -> k.matches("[A-Z][A-Z0-9_]*") && !RecipeEnv.DOCKER_CLIENT_ENV.contains(k))
                .filter(k -> !System.getenv(k).isBlank())
                .filter(k -> !List.of("TYPE", "DOMAIN", "PORT", "CHAINED", "COMPOSE_FILE")
                        .contains(k))
                .sorted()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no variable in this JVM's environment to probe with"));
    }

    private String exec(String... argv) {
        CommandResult result = driver.view().exec(domain, "app", List.of(argv), Optional.empty());
        assertThat(result.ok()).as(result.describe()).isTrue();
        return result.stdout().strip();
    }

    private List<String> docker(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return runner.run(Command.of(argv)).orThrow().stdout().lines().toList();
    }
}
