package org.coopcloud.recipeci.internal.deploy.abra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTableTest {
    @Test
    void readsTheFakesReplayedTableAroundItsRows() throws Exception {
        Path replay =
                Path.of(SecretsTableTest.class.getResource("/fake-abra/replay").toURI());
        String output = Files.readString(replay.resolve("new.txt"))
                + Files.readString(replay.resolve("secrets-head.txt"))
                + "│ db_password          │ Abcdefgh12345678Abcdefgh12345678       │\n"
                + "│ greeting_key         │ ZyXwVuTs98765432ZyXwVuTs98765432       │\n"
                + Files.readString(replay.resolve("secrets-foot.txt"));

        assertThat(SecretsTable.values(output, List.of("greeting_key", "db_password")))
                .containsEntry("greeting_key", "ZyXwVuTs98765432ZyXwVuTs98765432")
                .containsEntry("db_password", "Abcdefgh12345678Abcdefgh12345678")
                .hasSize(2);
    }

    @Test
    void asciiBarsAndAVersionColumnWork() {
        String output = "| NAME | VERSION | VALUE |\n|------|---------|-------|\n| smtp_pass | v2 | s3cr3t-Value_1 |\n";
        assertThat(SecretsTable.values(output, List.of("smtp_pass")))
                .containsExactlyEntriesOf(java.util.Map.of("smtp_pass", "s3cr3t-Value_1"));
    }

    @Test
    void onlyDeclaredSecretsCountSoHeadersAndNoticesAreNeverValues() {
        String output = "│ SECRET │ GENERATED PASSWORD │\n│ other │ notmine123456 │\nWARN take note of them\n";
        assertThat(SecretsTable.values(output, List.of("greeting_key"))).isEmpty();
    }
}
