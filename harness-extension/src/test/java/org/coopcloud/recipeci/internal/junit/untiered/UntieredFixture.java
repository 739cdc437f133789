package org.coopcloud.recipeci.internal.junit.untiered;

import org.coopcloud.recipeci.RecipeTest;
import org.junit.jupiter.api.Test;

/**
 * A class of a (made-up) recipe with {@code @RecipeTest} but no {@code @Tier}, for RecipeCiMainDiscoveryTest. Its name
 * matches neither Surefire's nor Failsafe's patterns: nothing runs it.
 */
@RecipeTest(recipe = "untiered-fixture")
public class UntieredFixture {
    @Test
    void wouldRunInAnIde() {}
}
