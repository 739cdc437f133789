package org.coopcloud.recipeci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.coopcloud.recipeci.internal.lifecycle.RecipeExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The door to recipe-ci: a test class annotated with it runs against an app deployed once for the whole run and
 * torn down after the last class, whatever happens in between. Test methods receive the app as a {@link DeployedApp}
 * parameter.
 *
 * <p>The recipe comes from {@link #recipe()} when set, else from {@code -Drecipe=NAME} /
 * {@code recipeci.recipe} in {@code junit-platform.properties}, else from {@code RECIPECI_RECIPE}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RecipeExtension.class)
public @interface RecipeTest {
    /** The recipe these tests belong to; empty means "the recipe of the run". */
    String recipe() default "";
}
