package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeCiException;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.deploy.docker.BackupPlan.Copy;
import org.coopcloud.recipeci.internal.deploy.docker.BackupPlan.Hook;
import org.coopcloud.recipeci.internal.deploy.docker.BackupPlan.Service;
import org.junit.jupiter.api.Test;

/** backupbot's labels interpreted over a stack's services and the volumes they mount — no Docker. */
class BackupPlanTest {
    private static final StackName STACK = new StackName("pgno_example_org");

    private static Service service(String name, Map<String, String> labels, DockerObjects.Mount... mounts) {
        return new Service(STACK + "_" + name, labels, List.of(mounts));
    }

    private static DockerObjects.Mount mount(String volume, String destination) {
        return new DockerObjects.Mount(STACK + "_" + volume, destination);
    }

    private static String svc(String name) {
        return STACK + "_" + name;
    }

    @Test
    void pgnotes_onlyTheDumpInItsVolume_theClusterLeftOut_hooksInTheDbContainer() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(
                        service("app", Map.of("traefik.enable", "true")),
                        service(
                                "db",
                                Map.of(
                                        "backupbot.backup", "true",
                                        "backupbot.backup.volumes.postgres", "false",
                                        "backupbot.backup.volumes.dumps.path", "pgnotes.sql",
                                        "backupbot.backup.pre-hook",
                                                "pg_dump -f /var/lib/postgresql/backup/pgnotes.sql",
                                        "backupbot.backup.post-hook", "rm -f /var/lib/postgresql/backup/pgnotes.sql",
                                        "backupbot.restore.post-hook",
                                                "psql -f /var/lib/postgresql/backup/pgnotes.sql"),
                                mount("postgres", "/var/lib/postgresql/data"),
                                mount("dumps", "/var/lib/postgresql/backup"))));

        assertThat(plan.copies())
                .containsExactly(
                        new Copy(svc("db"), "/var/lib/postgresql/backup/pgnotes.sql", Optional.of("dumps"), false));
        assertThat(plan.backupPreHooks())
                .containsExactly(new Hook(svc("db"), "pg_dump -f /var/lib/postgresql/backup/pgnotes.sql"));
        assertThat(plan.backupPostHooks()).extracting(Hook::service).containsExactly(svc("db"));
        assertThat(plan.restorePreHooks()).isEmpty();
        assertThat(plan.restorePostHooks())
                .containsExactly(new Hook(svc("db"), "psql -f /var/lib/postgresql/backup/pgnotes.sql"));
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.firstRoot(svc("app")))
                .as("no directory of the app is backed up")
                .isEmpty();
    }

    @Test
    void withoutBackupbotBackupTrueNothingIsBackedUp_notEvenHooksRun() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(service(
                        "app",
                        Map.of("backupbot.backup", "yes", "backupbot.backup.pre-hook", "touch /x"),
                        mount("data", "/data"))));

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void theLabelBacksUpTheWholeStack_everyVolumeByDefault_theLabelledServicesFirst() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(
                        service("db", Map.of(), mount("db-data", "/var/lib/postgresql/data")),
                        service(
                                "app",
                                Map.of("backupbot.backup", "TRUE"),
                                mount("uploads", "/opt/app/uploads"),
                                mount("db-data", "/mnt/db"))));

        assertThat(plan.copies())
                .containsExactly(
                        new Copy(svc("app"), "/opt/app/uploads", Optional.of("uploads"), true),
                        new Copy(svc("app"), "/mnt/db", Optional.of("db-data"), true));
        assertThat(plan.firstRoot(svc("app"))).contains("/opt/app/uploads");
    }

    @Test
    void volumePathsAreRelativeToTheVolumesRoot_severalCommaSeparated() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(service(
                        "app",
                        Map.of(
                                "backupbot.backup",
                                "true",
                                "backupbot.backup.volumes.data.path",
                                "uploads/, db/backup.sql , .",
                                "backupbot.backup.volumes.search-data",
                                "false"),
                        mount("data", "/srv/data/"),
                        mount("search-data", "/srv/search"))));

        assertThat(plan.copies())
                .extracting(Copy::path)
                .containsExactly("/srv/data/uploads", "/srv/data/db/backup.sql", "/srv/data/");
    }

    @Test
    void theOlderBackupPathCopiesContainerPaths_insteadOfItsVolumes_leavingOutExcludedOnes() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(service(
                        "app",
                        Map.of(
                                "backupbot.backup", "true",
                                "backupbot.backup.path", "/data, /cache/renders",
                                "backupbot.backup.volumes.cache", "false"),
                        mount("notes", "/data"),
                        mount("cache", "/cache"))));

        assertThat(plan.copies()).containsExactly(new Copy(svc("app"), "/data", Optional.empty(), true));
        assertThat(plan.firstRoot(svc("app"))).contains("/data");
    }

    @Test
    void hooksOfEveryServiceOfABackedUpStackRun_inServiceOrder() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(
                        service("worker", Map.of("backupbot.restore.pre-hook", "stop-jobs")),
                        service(
                                "app",
                                Map.of("backupbot.backup", "true", "backupbot.restore.pre-hook", "maintenance on"))));

        assertThat(plan.restorePreHooks())
                .containsExactly(new Hook(svc("app"), "maintenance on"), new Hook(svc("worker"), "stop-jobs"));
    }

    @Test
    void anAbsolutePathOrOneLeavingTheVolumeIsRefused_sayingWhichLabelAndHowToFixIt() {
        List<Service> absolute = List.of(service(
                "app",
                Map.of("backupbot.backup", "true", "backupbot.backup.volumes.data.path", "/meili_dumps/latest.dump"),
                mount("data", "/data")));
        List<Service> escaping = List.of(service(
                "app",
                Map.of("backupbot.backup", "true", "backupbot.backup.volumes.data.path", "../etc"),
                mount("data", "/data")));

        assertThatThrownBy(() -> BackupPlan.of(STACK, absolute))
                .isInstanceOf(RecipeCiException.class)
                .hasMessage("backupbot.backup.volumes.data.path=/meili_dumps/latest.dump: the path must be relative to"
                        + " the volume's root (backup-bot-two resolves it inside the volume); drop the leading '/'");
        assertThatThrownBy(() -> BackupPlan.of(STACK, escaping)).hasMessageContaining("'..' leaves it");
    }

    @Test
    void theLabelOnSeveralServices_orAPathForAVolumeNobodyMounts_areWarnings() {
        BackupPlan plan = BackupPlan.of(
                STACK,
                List.of(
                        service("app", Map.of("backupbot.backup", "true"), mount("uploads", "/uploads")),
                        service("db", Map.of("backupbot.backup", "true", "backupbot.backup.volumes.gone.path", "x"))));

        assertThat(plan.warnings())
                .containsExactly(
                        "backupbot.backup=true is set on 2 services (" + svc("app") + ", " + svc("db") + ");"
                                + " backup-bot-two's label specification wants it on one service of the stack",
                        "backupbot.backup.volumes.gone.path names a volume no running service of the stack mounts");
        assertThat(plan.copies()).extracting(Copy::path).containsExactly("/uploads");
    }

    @Test
    void labelsOfOneService_volumeNamesMayHoldDots() {
        BackupLabels labels = BackupLabels.of(Map.of(
                "backupbot.backup", " true ",
                "backupbot.backup.volumes.my.vol", "FALSE",
                "backupbot.backup.volumes.other.vol.path", "a,b",
                "backupbot.backup.pre-hook", "  "));

        assertThat(labels.enabled()).isTrue();
        assertThat(labels.excludedVolumes()).containsExactly("my.vol");
        assertThat(labels.volumePaths()).containsEntry("other.vol", List.of("a", "b"));
        assertThat(labels.backupPreHook()).as("a blank hook is no hook").isEmpty();
    }
}
