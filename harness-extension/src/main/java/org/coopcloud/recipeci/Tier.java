package org.coopcloud.recipeci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.coopcloud.recipeci.internal.junit.RecipeExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The door to recipe-ci: marks a test class as the tests of one tier. Tier classes run in {@link Stage} order
 * against one app, deployed once for the whole run and torn down after the last class, whatever happens in between;
 * test methods receive it as a {@link DeployedApp} parameter. Nothing else is needed — {@link RecipeTest} only names
 * a recipe where the run's own ({@code -Drecipe=NAME}) is not meant.
 *
 * <pre>{@code
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
@ExtendWith(RecipeExtension.class)
public @interface Tier {
    /** The JUnit tag every tier class carries; the CI entrypoint selects tier classes by it. */
    String TAG = "recipe-tier";

    Stage value();
}
