package org.coopcloud.recipeci.internal.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.internal.deploy.Snapshot;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull request controls what its app puts in a backed-up volume: a symbolic link there points into the container's
 * filesystem, and must never make the harness reach this host's files — not when the snapshot is searched for the
 * marker, not when it is restored. On the real swarm, with a busybox service whose backed-up path is a link named
 * like a directory of this host that holds a secret.
 */
class BackupSymlinkIT {
    private static final String SECRET = "recipe-ci-host-secret-" + Long.toHexString(System.nanoTime());

    private final CommandRunner runner = new CommandRunner();
    private Swarm swarm;
    private AppDomain domain;

    @AfterEach
    void tearDown() {
        if (swarm != null) {
            assertThat(swarm.teardown(domain)).as("what is left of " + domain).isEmpty();
        }
    }

    @Test
    void aLinkInTheVolumeToAHostDirectory_isBackedUpAndRestoredAsALink_theHostsFilesStayOnTheHost(
            @TempDir Path tmp, @TempDir Path host) throws Exception {
        Files.writeString(host.resolve("secret.txt"), SECRET + "\n");
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        domain = new AppDomain("bksl-" + HexFormat.of().formatHex(id) + ".it.recipe-ci.test");
        swarm = new Swarm(runner, RunLog.consoleOnly(), d -> tmp.resolve(d + ".env"));
        // The link's target exists in the container too (empty there): a restore through it would succeed.
        Files.writeString(
                tmp.resolve("compose.yml"),
                """
                version: "3.8"
                services:
                  app:
                    image: recipe-ci.local/notes:1.1
                    init: true
                    stop_grace_period: 1s
                    command: ["sh", "-c", "mkdir -p %1$s && ln -sfn %1$s /data/escape && exec sleep 600"]
                    volumes:
                      - data:/data
                    deploy:
                      labels:
                        backupbot.backup: "true"
                        backupbot.backup.volumes.data.path: "escape"
                volumes:
                  data:
                """
                        .formatted(host));
        Swarm.DeployMark mark = swarm.beforeDeploy(domain.stackName());
        runner.run(HandDeploy.of(tmp, domain.stackName())).orThrow();
        swarm.awaitConverged(domain, mark, Duration.ofMinutes(2));
        String link = "/data/escape";
        assertThat(exec("readlink", link).stdout().strip()).isEqualTo(host.toString());

        Snapshot snapshot = swarm.backup(domain, "snapshot-1", tmp.resolve("snapshot-1"));

        assertThat(snapshot.entries()).extracting(Snapshot.Entry::path).containsExactly(link);
        assertThat(Files.isSymbolicLink(snapshot.entries().get(0).copy()))
                .as("docker cp copies the link itself")
                .isTrue();
        assertThat(snapshot.holds(SECRET))
                .as("the host's file is not searched through the link")
                .isFalse();

        swarm.restore(domain, snapshot);

        assertThat(exec("cat", host + "/secret.txt").ok())
                .as("the host's secret.txt copied into the container by the restore")
                .isFalse();
        assertThat(exec("readlink", link).stdout().strip())
                .as("the link is back as it was")
                .isEqualTo(host.toString());
    }

    private CommandResult exec(String... argv) {
        return swarm.exec(domain, "app", List.of(argv), Optional.empty());
    }
}
