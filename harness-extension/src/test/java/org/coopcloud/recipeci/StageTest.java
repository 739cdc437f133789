package org.coopcloud.recipeci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StageTest {

    @Test
    void parsesCaseInsensitivelyAndTrims() {
        assertThat(Stage.parse("install")).isEqualTo(Stage.INSTALL);
        assertThat(Stage.parse("UPGRADE")).isEqualTo(Stage.UPGRADE);
        assertThat(Stage.parse("Backup")).isEqualTo(Stage.BACKUP);
        assertThat(Stage.parse(" restore ")).isEqualTo(Stage.RESTORE);
        assertThat(Stage.parse("cUsToM")).isEqualTo(Stage.CUSTOM);
    }

    @Test
    void badNameListsTheStages() {
        assertThatThrownBy(() -> Stage.parse("deploy"))
                .isInstanceOf(RecipeConfigurationException.class)
                .hasMessageContaining("'deploy' is not a stage")
                .hasMessageContaining("install, upgrade, backup, restore, custom");
    }

    @Test
    void stagesRunInDeclaredOrder() {
        assertThat(Stage.values())
                .containsExactly(Stage.INSTALL, Stage.UPGRADE, Stage.BACKUP, Stage.RESTORE, Stage.CUSTOM);
    }
}
