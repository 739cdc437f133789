package org.coopcloud.recipeci.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerIdTest {
    private static final Optional<String> CLONED_IMAGE = Optional.of("3d1219c7c4c5404aaa1f6d2a48adfda4");

    @Test
    void twoHostsClonedFromOneImageAreTwoRunners() {
        String a = RunnerId.hostId(CLONED_IMAGE, Optional.of("ci-runner-1"));
        String b = RunnerId.hostId(CLONED_IMAGE, Optional.of("ci-runner-2"));

        assertThat(a).isNotEqualTo(b).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4-ci-runner-1");
        assertThat(new RunnerId(a, Path.of("/run/lock"))).isNotEqualTo(new RunnerId(b, Path.of("/run/lock")));
    }

    @Test
    void theHostIdNeverHoldsTheSeparatorOfTheLabelValue() {
        String id = RunnerId.hostId(CLONED_IMAGE, Optional.of("odd:name with space"));

        RunnerId runner = new RunnerId(id, Path.of("/run/lock"));
        assertThat(RunnerId.parse(runner.value())).contains(runner);
    }

    @Test
    void withoutAMachineIdTheHostNameAlone_andWithNeitherAPlaceholder() {
        assertThat(RunnerId.hostId(Optional.empty(), Optional.of("ci"))).isEqualTo("ci");
        assertThat(RunnerId.hostId(Optional.empty(), Optional.empty())).isEqualTo("unknown-host");
        assertThat(RunnerId.hostId(CLONED_IMAGE, Optional.of(""))).isEqualTo(CLONED_IMAGE.get());
    }

    @Test
    void theLockDirectoryIsTakenWithItsSymbolicLinksResolved(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectory(dir.resolve("locks"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertThat(RunnerId.of(link)).isEqualTo(RunnerId.of(real));
    }
}
