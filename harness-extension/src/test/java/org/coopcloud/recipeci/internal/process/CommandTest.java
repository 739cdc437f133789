package org.coopcloud.recipeci.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void defaults() {
        Command command = Command.of("docker", "ps");
        assertThat(command.argv()).containsExactly("docker", "ps");
        assertThat(command.workDir()).isEmpty();
        assertThat(command.env()).isEmpty();
        assertThat(command.stdin()).isEmpty();
        assertThat(command.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(command.okExitCodes()).containsExactly(0);
        assertThat(Command.of(List.of("docker", "ps"))).isEqualTo(command);
    }

    @Test
    void emptyArgvIsRejected() {
        assertThatThrownBy(Command::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonPositiveTimeoutIsRejected() {
        Command command = Command.of("true");
        assertThatThrownBy(() -> command.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> command.withTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argvIsCopied() {
        java.util.ArrayList<String> argv = new java.util.ArrayList<>(List.of("echo", "a"));
        Command command = Command.of(argv);
        argv.add("b");
        assertThat(command.argv()).containsExactly("echo", "a");
    }

    @Test
    void displayQuotesOnlyWhatNeedsIt() {
        Command command = Command.of("docker", "stack", "deploy", "-c", "compose.yml", "my stack", "", "it's", "a\"b");
        assertThat(command.display()).isEqualTo("docker stack deploy -c compose.yml 'my stack' '' 'it'\\''s' 'a\"b'");
        assertThat(command).hasToString(command.display());
    }

    @Test
    void displayQuotesTabsAndNewlines() {
        assertThat(Command.of("printf", "a\tb").display()).isEqualTo("printf 'a\tb'");
    }

    @Test
    void withMethodsReturnNewValuesAndLeaveTheOriginal() {
        Command original = Command.of("git", "status");
        Path dir = Path.of("/tmp/work");

        Command timed = original.withTimeout(Duration.ofSeconds(5));
        Command located = original.withWorkDir(dir);
        Command withEnv = original.withEnv(Map.of("GIT_PAGER", "cat"));
        Command fed = original.withStdin("secret");
        Command lenient = original.withOkExitCodes(0, 1);
        Command longer = original.withArgs("--short", "-b");

        assertThat(original).isEqualTo(Command.of("git", "status"));
        assertThat(original.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(original.workDir()).isEmpty();
        assertThat(original.env()).isEmpty();
        assertThat(original.stdin()).isEmpty();
        assertThat(original.okExitCodes()).containsExactly(0);
        assertThat(original.argv()).containsExactly("git", "status");

        assertThat(timed.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(timed.argv()).isEqualTo(original.argv());
        assertThat(located.workDir()).contains(dir);
        assertThat(withEnv.env()).containsExactly(Map.entry("GIT_PAGER", "cat"));
        assertThat(fed.stdin()).map(b -> new String(b, StandardCharsets.UTF_8)).contains("secret");
        assertThat(lenient.okExitCodes()).containsExactlyInAnyOrder(0, 1);
        assertThat(longer.argv()).containsExactly("git", "status", "--short", "-b");
    }

    @Test
    void withEnvMergesAndOverrides() {
        Command command = Command.of("x").withEnv(Map.of("A", "1", "B", "2")).withEnv(Map.of("B", "3", "C", "4"));
        assertThat(command.env()).isEqualTo(Map.of("A", "1", "B", "3", "C", "4"));
    }

    @Test
    void withersKeepTheOtherFields() {
        Command command = Command.of("x")
                .withWorkDir(Path.of("/w"))
                .withEnv(Map.of("A", "1"))
                .withStdin("in")
                .withOkExitCodes(3)
                .withTimeout(Duration.ofSeconds(2))
                .withInheritedEnvOnly(Set.of("PATH"))
                .withArgs("y");
        assertThat(command.argv()).containsExactly("x", "y");
        assertThat(command.inheritedEnv()).contains(Set.of("PATH"));
        assertThat(command.workDir()).contains(Path.of("/w"));
        assertThat(command.env()).isEqualTo(Map.of("A", "1"));
        assertThat(command.stdin()).isPresent();
        assertThat(command.okExitCodes()).isEqualTo(Set.of(3));
        assertThat(command.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void stdinIsNotPartOfTheDisplay() {
        assertThat(Command.of("docker", "secret", "create", "x", "-")
                        .withStdin("hunter2")
                        .display())
                .doesNotContain("hunter2");
    }

    @Test
    void nullFieldsAreRejected() {
        assertThatThrownBy(() ->
                        new Command(List.of("x"), null, Map.of(), Optional.empty(), Duration.ofSeconds(1), Set.of(0)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(
                        () -> new Command(List.of("x"), Optional.empty(), Map.of(), Optional.empty(), null, Set.of(0)))
                .isInstanceOf(NullPointerException.class);
    }
}
