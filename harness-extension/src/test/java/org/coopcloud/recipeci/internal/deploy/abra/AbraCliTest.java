package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.internal.deploy.abra.AbraCli.Call;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbraCliTest {
    @TempDir
    Path tmp;

    private AbraCli cli(Map<String, String> env) throws Exception {
        Files.createDirectories(tmp.resolve("home/servers/local"));
        return new AbraCli(
                new CommandRunner(), new AbraDir(tmp.resolve("run/abra"), tmp.resolve("home"), Optional.empty()), env);
    }

    @Test
    void everyCallIsNonInteractiveWithTheRunsAbraDirAndFlagsBeforeArguments() throws Exception {
        Command command = cli(Map.of("EXTRA", "1"))
                .command(Call.of("volume remove", Duration.ofSeconds(42))
                        .flags("--force")
                        .args("hell-abcdef.example.org"));

        assertThat(command.argv())
                .containsExactly("abra", "app", "volume", "remove", "--force", "--no-input", "hell-abcdef.example.org");
        assertThat(command.env())
                .containsEntry("ABRA_DIR", tmp.resolve("run/abra").toString())
                .containsEntry("EXTRA", "1");
        assertThat(command.timeout()).isEqualTo(Duration.ofSeconds(42));
        assertThat(command.workDir()).contains(tmp.resolve("run/abra"));
        assertThat(tmp.resolve("run/abra/servers"))
                .as("built before the first call")
                .isSymbolicLink();
    }

    @Test
    void aCallCanRunInADirectoryOfItsOwn() throws Exception {
        Command command = cli(Map.of())
                .command(Call.of("backup download", Duration.ofMinutes(1)).in(tmp));
        assertThat(command.workDir()).contains(tmp);
    }

    @Test
    void aCallOnATerminalGetsOneFromScriptWithEveryArgumentIntactAndStdinStillEmpty() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path abra = Files.writeString(
                bin.resolve("abra"),
                """
                #!/bin/sh
                [ -t 0 ] && echo "terminal" || echo "no terminal"
                for a in "$@"; do printf '[%s]\\n' "$a"; done
                read -r line && echo "read: $line" || echo "stdin empty"
                exit 3
                """);
        assertThat(abra.toFile().setExecutable(true)).isTrue();
        String odd = "it's \"odd\" $HOME `id` ; *";
        Command command = cli(Map.of("PATH", bin + ":" + System.getenv("PATH")))
                .command(Call.of("restore", Duration.ofSeconds(30)).args(odd).onTerminal());

        CommandResult result = new CommandRunner().run(command);

        assertThat(command.argv()).startsWith("script");
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(3);
        assertThat(result.stdout().replace("\r", "").lines())
                .containsExactly("terminal", "[app]", "[restore]", "[--no-input]", "[" + odd + "]", "stdin empty");
    }

    @Test
    void aCallNotOnATerminalRunsAbraItself() throws Exception {
        assertThat(cli(Map.of()).command(Call.of("ls", Duration.ofSeconds(5))).argv())
                .startsWith("abra");
    }

    @Test
    void theExecutableIsLookedUpOnTheChildrensPath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        assertThat(cli(Map.of("PATH", bin.toString())).executable()).isEmpty();
        Path abra = Files.writeString(bin.resolve("abra"), "#!/bin/sh\n");
        abra.toFile().setExecutable(true);
        assertThat(cli(Map.of("PATH", "/nonexistent:" + bin)).executable()).contains(abra);
    }
}
