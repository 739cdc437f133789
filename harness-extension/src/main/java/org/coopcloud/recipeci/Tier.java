package org.coopcloud.recipeci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a {@link RecipeTest} class as the tests of one tier. Tier classes run in {@link Stage} order against the one
 * app deployed for the run.
 *
 * <pre>{@code
 * @RecipeTest
 * @Tier(Stage.CUSTOM)
 * class NotesCustomTier {
 *     @Test
 *     void storesANote(DeployedApp app) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(Tier.TAG)
public @interface Tier {
    /** The JUnit tag every tier class carries; the CI entrypoint selects tier classes by it. */
    String TAG = "recipe-tier";

    Stage value();
}
