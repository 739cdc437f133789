package org.coopcloud.recipeci.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.coopcloud.recipeci.tiers.InstallTier;
import org.junit.jupiter.api.Test;

/**
 * The entrypoint and the class orderer find the generic tiers by their package's name, a string the architecture
 * test cannot see (the tiers are a layer above): a move of the tiers must not leave every run without them.
 */
class GenericTiersTest {
    @Test
    void theGenericTiersPackageIsNamedRight() {
        assertThat(RecipeCiMain.GENERIC_TIERS).isEqualTo(InstallTier.class.getPackageName());
    }
}
