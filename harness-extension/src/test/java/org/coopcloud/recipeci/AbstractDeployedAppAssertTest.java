package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A recipe's own assertions extend the built-in ones the AssertJ way, and chain with them both ways. */
class AbstractDeployedAppAssertTest {

    /** What a recipe author writes: a self-typed subclass with assertions of the recipe's own. */
    static final class NotesAssert extends AbstractDeployedAppAssert<NotesAssert> {
        NotesAssert(DeployedApp app) {
            super(app, NotesAssert.class);
        }

        static NotesAssert assertThat(DeployedApp app) {
            return new NotesAssert(app);
        }

        NotesAssert runsService(String name) {
            isNotNull();
            if (actual.services().stream().noneMatch(s -> s.name().equals(actual.stackName() + "_" + name))) {
                failWithMessage(
                        "Expected %s to run service %s%ntasks:%n%s", actual.stackName(), name, actual.taskTable());
            }
            return myself;
        }
    }

    private final StubApp app = new StubApp();

    @Test
    void ownAndBuiltInAssertionsChainInEitherOrder() {
        app.services = List.of(new ServiceState(app.stackName() + "_app", 1, 1, Optional.empty()));
        app.versionLabel = Optional.of("1.0.0+1.0");

        NotesAssert chained =
                NotesAssert.assertThat(app).hasConverged().runsService("app").hasVersion("1.0.0+1.0");

        assertThat(chained).isInstanceOf(NotesAssert.class);
    }

    @Test
    void aBuiltInAssertionFailsWithTheTaskTable() {
        app.versionLabel = Optional.of("0.9.0+0.9");

        assertThatThrownBy(() -> NotesAssert.assertThat(app).hasVersion("1.0.0+1.0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("version label is '0.9.0+0.9'")
                .hasMessageContaining("note_0a1b2c_app.1  running");
    }

    @Test
    void theEntryPointStillHandsOutTheBuiltInAssertions() {
        app.services = List.of(new ServiceState(app.stackName() + "_app", 0, 1, Optional.empty()));

        assertThatThrownBy(() -> RecipeAssertions.assertThat(app).hasConverged())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have converged");
    }
}
