package org.coopcloud.recipeci.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.coopcloud.recipeci.internal.process.ProcessGroup.ProcStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessGroupTest {

    @Test
    void parsesAPlainStatLine() {
        ProcStat stat = ProcStat.parse("4321 (bash) S 4000 4321 4321 34816 4321 4194560 1 0 0 0\n");
        assertThat(stat).isEqualTo(new ProcStat(4321, 'S', 4000, 4321));
    }

    @Test
    void commMayHoldSpacesAndParentheses() {
        ProcStat stat = ProcStat.parse("1234 (my (weird) proc) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1");
        assertThat(stat).isNotNull();
        assertThat(stat.pid()).isEqualTo(1234);
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.ppid()).isEqualTo(1);
        assertThat(stat.pgrp()).isEqualTo(1234);
    }

    @Test
    void commThatLooksLikeFieldsDoesNotShiftThem() {
        ProcStat stat = ProcStat.parse("77 (x) Z 9 9) R 5 77 77 0");
        assertThat(stat).isEqualTo(new ProcStat(77, 'R', 5, 77));
    }

    @Test
    void zombieStateIsRead() {
        assertThat(ProcStat.parse("99 (defunct) Z 1 50 50 0").state()).isEqualTo('Z');
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "12 (x)",
                "12 (x) S",
                "12 (x) S 1",
                "abc (x) S 1 2 3",
                "12 (x) S one 2",
                "12 x) S 1 2"
            })
    void garbageGivesNull(String text) {
        assertThat(ProcStat.parse(text)).isNull();
    }

    @Test
    void readOfAMissingFileGivesNull() {
        assertThat(ProcStat.read(java.nio.file.Path.of("/nonexistent-recipe-ci/stat")))
                .isNull();
    }

    @Test
    void pgidIsKept() {
        assertThat(new ProcessGroup(31337).pgid()).isEqualTo(31337);
    }
}
