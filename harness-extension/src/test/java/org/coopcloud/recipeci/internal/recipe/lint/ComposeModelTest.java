package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose files read as YAML the way abra's lint reads them: all root compose files, interpolated, merged. */
class ComposeModelTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryRootComposeFileInNameOrder_notSubdirectoriesNorOtherYaml() throws Exception {
        write("compose.yml", "services: {app: {image: a:1}}");
        write("compose.db.yml", "services: {db: {image: b:1}}");
        write("docker-compose.override.yaml", "services: {x: {image: c:1}}");
        Files.createDirectories(dir.resolve("postgres"));
        Files.writeString(dir.resolve("postgres/compose.tune.yml"), "services: {tune: {image: d:1}}");

        assertThat(ComposeModel.files(dir)).containsExactly("compose.db.yml", "compose.yml");
        assertThat(ComposeModel.read(dir, Map.of()).services())
                .extracting(ComposeModel.Service::name)
                .containsExactly("app", "db");
    }

    @Test
    void mergesServicesAcrossFiles_labelListsBecomeMaps_andRemembersWhereEachServiceIsDefined() throws Exception {
        write(
                "compose.yml",
                """
                version: "3.8"
                services:
                  app:
                    image: a:1
                    deploy:
                      labels: ["traefik.enable=true", "coop-cloud.${STACK_NAME}.version=1.0.0+1"]
                """);
        write(
                "compose.extra.yml",
                """
                services:
                  app:
                    deploy:
                      labels:
                        backupbot.backup: "true"
                """);

        ComposeModel.Service app =
                ComposeModel.read(dir, Map.of()).service("app").orElseThrow();

        assertThat(app.deployLabels())
                .containsEntry("traefik.enable", "true")
                .containsEntry("backupbot.backup", "true")
                .containsEntry("coop-cloud..version", "1.0.0+1");
        assertThat(app.files()).containsExactly("compose.extra.yml", "compose.yml");
        assertThat(app.where()).isEqualTo("service 'app' (compose.extra.yml, compose.yml)");
    }

    @Test
    void resolvesAnchorsAliasesAndMergeKeys_asRealRecipesUseThem() throws Exception {
        write(
                "compose.yml",
                """
                ---
                version: '3.8'
                x-postgres-env: &postgres-env
                  POSTGRES_USER: postgres
                services:
                  db:
                    image: ${DB_IMAGE:-ghcr.io/baosystems/postgis}:${DB_VERSION:-17-3.5}
                    environment:
                      <<: *postgres-env
                      PGDATA: /var/lib/postgresql/data
                    healthcheck:
                      test: ["CMD-SHELL", "pg_isready -U $$POSTGRES_USER"]
                """);

        ComposeModel.Service db =
                ComposeModel.read(dir, Map.of("DB_VERSION", "16")).service("db").orElseThrow();

        assertThat(db.image()).contains("ghcr.io/baosystems/postgis:16");
        assertThat(ComposeModel.labels(db.spec().get("environment")))
                .containsEntry("POSTGRES_USER", "postgres")
                .containsEntry("PGDATA", "/var/lib/postgresql/data");
        assertThat(db.spec().get("healthcheck").toString()).contains("pg_isready -U $POSTGRES_USER");
    }

    @Test
    void keepsEachFilesVersionAsWritten() throws Exception {
        write("compose.yml", "version: \"3.8\"\nservices: {}\n");
        write("compose.old.yml", "version: 3.7\n");
        write("compose.none.yml", "services: {}\n");

        assertThat(ComposeModel.read(dir, Map.of()).versions())
                .containsEntry("compose.yml", java.util.Optional.of("3.8"))
                .containsEntry("compose.old.yml", java.util.Optional.of("3.7"))
                .containsEntry("compose.none.yml", java.util.Optional.empty());
    }

    @Test
    void aRecipeWithoutComposeFilesOrWithAListAtTheTopCannotBeRead() throws Exception {
        assertThatThrownBy(() -> ComposeModel.read(dir, Map.of()))
                .isInstanceOf(UnreadableRecipeException.class)
                .hasMessageContaining("no compose file");

        write("compose.yml", "- a\n- b\n");
        assertThatThrownBy(() -> ComposeModel.read(dir, Map.of()))
                .hasMessage("compose.yml is not a compose file: its top level must be a mapping (version, services,"
                        + " …)");
    }

    @Test
    void aYamlBombIsRefused_notExpanded() throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'z'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            bomb.append("]\n");
            prev = c;
        }
        write("compose.yml", bomb.toString());

        assertThatThrownBy(() -> ComposeModel.read(dir, Map.of()))
                .isInstanceOf(UnreadableRecipeException.class)
                .hasMessageContaining("not valid YAML");
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text);
    }
}
