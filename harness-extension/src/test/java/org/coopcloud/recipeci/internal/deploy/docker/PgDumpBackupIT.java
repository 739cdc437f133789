package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.Command;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * backupbot v2's labels on a real PostgreSQL, on the real swarm: the {@code db} service of the demo recipe
 * {@code pgnotes} (its image, its compose definition and its labels as the recipe has them, without the app, which
 * needs the proxy network) is backed up — the pre-hook's {@code pg_dump} into the {@code dumps} volume, only
 * {@code pgnotes.sql} copied, the cluster's volume left out, the post-hook removing the dump — then damaged and
 * restored by the restore post-hook's {@code psql}. A restore hook that fails fails the restore with its own error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgDumpBackupIT {
    private static final Path PGNOTES = Path.of("../demo/recipes/pgnotes/releases/1.1.0+1.1");
    private static final String DUMP = "/var/lib/postgresql/backup/pgnotes.sql";

    private final CommandRunner runner = new CommandRunner();
    private Swarm swarm;
    private AppDomain domain;
    private String db;
    private Path dir;
    private Snapshot snapshot;

    @BeforeAll
    void deployTheDbOfPgnotes(@TempDir Path tmp) throws Exception {
        dir = tmp;
        swarm = new Swarm(
                runner, new RunLog(System.out, Optional.of(tmp.resolve("logs"))), d -> tmp.resolve(d + ".env"));
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        domain = new AppDomain("pgbk-" + HexFormat.of().formatHex(id) + ".it.recipe-ci.test");
        db = domain.stackName() + "_db";

        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(PGNOTES.resolve("compose.yml")));
        map(compose.get("services")).remove("app");
        map(compose.get("networks")).remove("proxy");
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(tmp.resolve("compose.yml"), new Yaml(block).dump(compose));
        Files.copy(PGNOTES.resolve("postgresql.conf.tmpl"), tmp.resolve("postgresql.conf.tmpl"));

        swarm.createSecret(domain.stackName(), domain.stackName() + "_db_password_v1", "pgbk-" + domain.hashCode());
        Swarm.DeployMark mark = swarm.beforeDeploy(domain.stackName());
        // The db service alone, deployed by hand: the harness's own deploy wants the app's Traefik router.
        runner.run(HandDeploy.of(tmp, domain.stackName())
                        .withEnv(Map.of(
                                "STACK_NAME", domain.stackName().value(),
                                "SECRET_DB_PASSWORD_VERSION", "v1",
                                "PG_CONFIG_VERSION", "v2")))
                .orThrow();
        swarm.awaitConverged(domain, mark, Duration.ofMinutes(3));
        sql("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)");
        sql("INSERT INTO notes (body) VALUES ('written before the backup'), ('also before it')");
    }

    @AfterAll
    void tearDown() {
        if (swarm != null) {
            assertThat(swarm.teardown(domain)).as("what is left of " + domain).isEmpty();
        }
    }

    @Test
    @Order(1)
    void theBackupIsThePreHooksDump_onlyThatFileOfItsVolume_removedAgainByThePostHook() {
        assertThat(swarm.backupCapable(domain)).isTrue();
        assertThat(swarm.backupPath(domain))
                .as("no directory of an app service is backed up")
                .isEmpty();

        snapshot = swarm.backup(domain, "snapshot-1", dir.resolve("snapshot-1"));

        assertThat(snapshot.entries())
                .extracting(Snapshot.Entry::service, Snapshot.Entry::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(db, DUMP));
        assertThat(snapshot.holds("written before the backup")).isTrue();
        assertThat(exec("test", "-e", DUMP).ok())
                .as("the post-hook removed the dump")
                .isFalse();
        assertThat(dir.resolve("logs/run.log"))
                .as("the run log names what each hook ran")
                .content()
                .containsPattern(
                        db + ": backup pre-hook ran in \\d+ ms: pg_dump --clean --if-exists -U \"\\$POSTGRES_USER\"")
                .containsPattern(db + ": backup post-hook ran in \\d+ ms: rm -f " + DUMP);
    }

    @Test
    @Order(2)
    void theRestorePutsTheDumpBack_andThePostHookLoadsIt_overTheDamage() {
        sql("DELETE FROM notes");
        sql("INSERT INTO notes (body) VALUES ('written after the backup')");

        swarm.restore(domain, snapshot);

        assertThat(sql("SELECT string_agg(body, ',' ORDER BY id) FROM notes"))
                .isEqualTo("written before the backup,also before it");
        assertThat(dir.resolve("logs/run.log"))
                .content()
                .containsPattern(db + ": restore post-hook ran in \\d+ ms: psql -X -q -v ON_ERROR_STOP=1");
    }

    @Test
    @Order(3)
    void aRestoreHookThatFails_failsTheRestoreWithTheHooksOwnError() {
        runner.run(Command.of(
                                "docker",
                                "service",
                                "update",
                                "--detach",
                                "--label-add",
                                "backupbot.restore.post-hook=psql -X -q -v ON_ERROR_STOP=1 -U pgnotes -d pgnotes"
                                        + " -f /var/lib/postgresql/backup/pgnotes-latest.sql",
                                db)
                        .withTimeout(Duration.ofMinutes(1)))
                .orThrow();

        assertThatThrownBy(() -> swarm.restore(domain, snapshot))
                .isInstanceOf(RecipeCiException.class)
                .hasMessageStartingWith("restore post-hook of " + db + " failed (exit 1): psql: error:"
                        + " /var/lib/postgresql/backup/pgnotes-latest.sql: No such file or directory");
    }

    private String sql(String statement) {
        CommandResult result = exec(
                "psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "pgnotes", "-d", "pgnotes", "-c", statement);
        assertThat(result.ok()).as(result.describe()).isTrue();
        return result.stdout().strip();
    }

    private CommandResult exec(String... argv) {
        return swarm.exec(domain, "db", List.of(argv), Optional.empty());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }
}
