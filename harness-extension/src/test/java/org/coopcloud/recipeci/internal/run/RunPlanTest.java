package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.config.RunPaths;
import org.coopcloud.recipeci.internal.config.SourceRepository;
import org.junit.jupiter.api.Test;

class RunPlanTest {
    private static final RunConfig HELLO = RunConfig.of(
            new RecipeName("hello"), new RunPaths(Path.of("/h"), Path.of("/r"), Path.of("/l"), "ci.example.org"));

    @Test
    void codeWhoseTypeIsAnotherRecipeIsNamed_withTheSourceItCameFrom() {
        RunConfig fromSrc = HELLO.withCode(
                HELLO.code().from(new SourceRepository("https://git.example.org/r/bonfire.git"), Optional.empty()));

        assertThat(RunPlan.otherType(fromSrc, Optional.of("bonfire")))
                .hasValue("the code under test's .env.sample says TYPE=bonfire, not hello — is recipeci.src"
                        + " https://git.example.org/r/bonfire.git the repository of hello?");
        assertThat(RunPlan.otherType(HELLO, Optional.of("bonfire")))
                .hasValueSatisfying(line -> assertThat(line).contains("the catalogue's clone"));
    }

    @Test
    void codeOfThisRecipe_orWithoutType_saysNothing() {
        assertThat(RunPlan.otherType(HELLO, Optional.of("hello"))).isEmpty();
        assertThat(RunPlan.otherType(HELLO, Optional.of("hello:1.2.0+2.1"))).isEmpty();
        assertThat(RunPlan.otherType(HELLO, Optional.of(" "))).isEmpty();
        assertThat(RunPlan.otherType(HELLO, Optional.empty())).isEmpty();
    }
}
