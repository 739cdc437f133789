package org.coopcloud.recipeci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.coopcloud.recipeci.internal.junit.RecipeExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Names the recipe a {@link Tier} class belongs to, for classes written for one recipe ({@code @RecipeTest(recipe =
 * "notes")}): such a class runs only in runs of that recipe, and an IDE run of it deploys that recipe. Without it,
 * the recipe comes from {@code -Drecipe=NAME} / {@code recipeci.recipe} in {@code junit-platform.properties}, else
 * from {@code RECIPECI_RECIPE}. A name the catalogue does not know is a configuration error.
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
