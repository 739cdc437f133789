package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.deploy.AppEnv;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets abra generates, on the paths the contract run does not take: output on stderr, a failing {@code app
 * new}, the upgrade's {@code app secret generate}, a value too short to redact. A stub {@code abra} prints what a
 * test gives it and records its argv; no docker needed.
 */
class AbraDriverSecretsTest {
    private static final RecipeName HELLO = new RecipeName("hello");
    private static final AppDomain DOMAIN = new AppDomain("hell-abcdef.ci.example.org");
    private static final String VALUE = "Zq7xW2pLm9Rt4Kv8";

    @TempDir
    Path tmp;

    private final RunSecrets secrets = new RunSecrets();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private Path bin;

    @BeforeEach
    void stubAbra() throws Exception {
        Files.createDirectories(tmp.resolve("home/servers/local"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        Path abra = Files.writeString(
                bin.resolve("abra"),
                """
                #!/bin/sh
                printf '%s\\n' "$*" >>"$STUB_ARGV"
                printf '%s' "$STUB_OUT"
                printf '%s' "$STUB_ERR" >&2
                exit "$STUB_EXIT"
                """);
        assertThat(abra.toFile().setExecutable(true)).isTrue();
    }

    private AbraDriver driver(String stdout, String stderr, int exit) {
        return new AbraDriver(
                new AbraDir(tmp.resolve("run/abra"), tmp.resolve("home"), Optional.empty()),
                new CommandRunner(),
                new RunLog(new PrintStream(console, true, StandardCharsets.UTF_8), Optional.empty()),
                secrets,
                Map.of(
                        "PATH",
                        bin + ":" + System.getenv("PATH"),
                        "STUB_ARGV",
                        tmp.resolve("argv").toString(),
                        "STUB_OUT",
                        stdout,
                        "STUB_ERR",
                        stderr,
                        "STUB_EXIT",
                        Integer.toString(exit)));
    }

    private static String table(String name, String value) {
        return "┌──────────┬──────────────────┐\n"
                + "│ NAME     │ VALUE            │\n"
                + "├──────────┼──────────────────┤\n"
                + "│ " + name + " │ " + value + " │\n"
                + "└──────────┴──────────────────┘\n";
    }

    /** The recipe where the abra driver expects it, with a sample declaring {@code secrets}. */
    private RecipeSource checkout(String... secretLines) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("run/abra/recipes/hello"));
        Files.writeString(
                tree.resolve(".env.sample"),
                "TYPE=hello\nDOMAIN=hello.example.org\n" + String.join("\n", secretLines) + "\n");
        return new RecipeSource(
                HELLO,
                tree,
                "1.1.0+2.1",
                Optional.empty(),
                "0123456789abcdef0123456789abcdef01234567",
                Optional.empty(),
                Optional.empty(),
                List.of());
    }

    @Test
    void aFailingAppNewThatPrintedTheSecretsOnStderrNeverShowsThemInItsFailure() throws Exception {
        RecipeSource source = checkout("SECRET_GREETING_KEY_VERSION=v1");
        AbraDriver driver = driver("", table("greeting_key", VALUE) + "FATA cannot write the env file\n", 1);

        failsSayingWhyWithoutTheValue(
                () -> driver.create(source, DOMAIN, Map.of(), secrets),
                "abra app new",
                "FATA cannot write the env file");
    }

    @Test
    void theUpgradesNewSecretIsGeneratedByAbraAndRememberedEvenWhenAbraFails() throws Exception {
        RecipeSource next = checkout("SECRET_GREETING_KEY_VERSION=v1", "SECRET_SIGNING_KEY_VERSION=v1");
        Path envFile = tmp.resolve("home/servers/local").resolve(DOMAIN.value() + ".env");
        AppEnv env = AppEnv.parse("TYPE=hello\nDOMAIN=" + DOMAIN + "\nSECRET_GREETING_KEY_VERSION=v1\n", "t");
        env.write(envFile);
        AppInstance app =
                new AppInstance(HELLO, DOMAIN, envFile, env, List.of(DOMAIN.stackName() + "_greeting_key_v1"));
        AbraDriver driver = driver("", table("signing_key", VALUE) + "FATA secret store is read-only\n", 1);

        failsSayingWhyWithoutTheValue(
                () -> driver.reconfigure(app, next, Map.of(), secrets), "secret generate", "read-only");
        assertThat(Files.readAllLines(tmp.resolve("argv")))
                .as("only the new secret, by domain, name and version")
                .containsExactly("app secret generate --no-input " + DOMAIN + " signing_key v1");
    }

    /** Fails with a message naming {@code what} and abra's {@code error}; {@link #VALUE} is remembered, not shown. */
    private void failsSayingWhyWithoutTheValue(ThrowingCallable call, String what, String error) {
        assertThatThrownBy(call)
                .isInstanceOf(DeployFailedException.class)
                .hasMessageContaining(what)
                .hasMessageContaining(error)
                .satisfies(e -> assertThat(e.getMessage().contains(VALUE))
                        .as("the secret in the failure message (value not shown)")
                        .isFalse());
        assertThat(secrets.values()).containsExactly(VALUE);
    }

    @Test
    void aSecretTooShortToRedactIsNamedInAWarning() throws Exception {
        RecipeSource source = checkout("SECRET_GREETING_KEY_VERSION=v1");
        AbraDriver driver = driver(table("greeting_key", "abc123"), "FATA stop here\n", 1);

        assertThatThrownBy(() -> driver.create(source, DOMAIN, Map.of(), secrets))
                .isInstanceOf(DeployFailedException.class);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("greeting_key")
                .contains("too short to redact");
    }
}
