package org.coopcloud.recipeci.internal.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    @TempDir
    Path dir;

    @Test
    void theClassListHoldsEveryNamedClassOfTheHierarchyOnceAndNoHiddenOne() {
        String hierarchy = String.join(
                "\n",
                "java.lang.Object/null",
                "|--java.io.Reader/null",
                "|  |--java.io.BufferedReader/null",
                "|--java.util.Deque/null (intf)",
                "|--org.example.Tier/0x00007f56741138f0",
                "|  |--org.example.Tier$Inner/0x00007f56741138f0",
                "|--java.lang.System$LoggerFinder$$Lambda$44/0x00007ff5a007d9d0/null",
                "|--java.lang.invoke.LambdaForm$MH/0x00007ff5a0008000/null",
                "|--org.example.Tier$$Lambda$7/0x0000000800c0b000/0x00007f56741138f0",
                "|  |  |--jdk.internal.reflect.GeneratedConstructorAccessor1/0x00007f567421c0d0 (invokes: a/B::<init> ()V)",
                "|--java.io.Reader/null",
                "");

        assertThat(ArchiveWriter.classList(hierarchy))
                .containsExactly(
                        "java/lang/Object",
                        "java/io/Reader",
                        "java/io/BufferedReader",
                        "java/util/Deque",
                        "org/example/Tier",
                        "org/example/Tier$Inner",
                        "jdk/internal/reflect/GeneratedConstructorAccessor1");
    }

    @Test
    void onlyTheJarsThatLeadTheClassPathCanBeArchived() throws IOException {
        Path a = Files.createFile(dir.resolve("a.jar"));
        Path b = Files.createFile(dir.resolve("b.jar"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path c = Files.createFile(dir.resolve("c.jar"));

        assertThat(ClassDataArchive.leadingJars(join(a, b, classes, c))).containsExactly(a, b);
        assertThat(ClassDataArchive.leadingJars(join(classes, a))).isEmpty();
        assertThat(ClassDataArchive.leadingJars(join(a, dir.resolve("gone.jar"), b)))
                .as("a jar that is not there ends the prefix: the JVM would not archive past it")
                .containsExactly(a);
        assertThat(ClassDataArchive.leadingJars("")).isEmpty();
    }

    @Test
    void itsStateSaysWhatTheRunDoesAboutIt() throws IOException {
        Path file = dir.resolve("run.jsa");
        List<Path> jars = List.of(Files.createFile(dir.resolve("a.jar")));

        ClassDataArchive missing = new ClassDataArchive(file, false, jars);
        assertThat(missing.wanted(1000)).isTrue();
        assertThat(missing.state(1000)).contains(file.toString(), "missing", "a green run writes it");

        Files.createFile(file);
        ClassDataArchive outdated = new ClassDataArchive(file, true, jars);
        assertThat(outdated.wanted(1000))
                .as("no record of what it was made from: outdated, even when the JVM mapped part of it")
                .isTrue();
        assertThat(outdated.state(1000)).contains("in use, but not recorded as made for this JDK", "writes it");
        assertThat(new ClassDataArchive(file, false, jars).state(1000))
                .contains("outdated", "another JDK or other jars", "writes it");
        assertThat(new ClassDataArchive(file, false, jars).outdated()).isTrue();

        Files.writeString(ArchiveWriter.sourceOf(file), outdated.source() + "failed=the dump broke\n");
        ClassDataArchive failed = new ClassDataArchive(file, false, jars);
        assertThat(failed.wanted(1000))
                .as("a dump that failed for this JDK and these jars would fail again")
                .isFalse();
        assertThat(failed.state(1000)).contains("writing it failed", "(the dump broke)", "not tried again");

        Files.writeString(ArchiveWriter.sourceOf(file), outdated.source() + "loaded-classes=1000\n");
        ClassDataArchive notMapped = new ClassDataArchive(file, false, jars);
        assertThat(notMapped.wanted(5000))
                .as("made for this JDK and these jars: writing it again would not help")
                .isFalse();
        assertThat(notMapped.state(1000)).contains("did not map it", "-Xlog:cds", "not written again");

        ClassDataArchive inUse = new ClassDataArchive(file, true, jars);
        assertThat(inUse.wanted(1100)).isFalse();
        assertThat(inUse.state(1100)).endsWith(": in use");
        assertThat(inUse.wanted(1101))
                .as("a run that loaded clearly more than the one that made it (more stages)")
                .isTrue();
        assertThat(inUse.state(1500)).contains("in use, but this run loaded 1500 classes", "the 1000", "again");

        Files.setLastModifiedTime(jars.get(0), FileTime.fromMillis(0));
        assertThat(new ClassDataArchive(file, true, jars).wanted(1000))
                .as("a jar changed since the archive was made")
                .isTrue();

        ClassDataArchive noJars = new ClassDataArchive(file, false, List.of());
        assertThat(noJars.wanted(1000)).isFalse();
        assertThat(noJars.state(1000)).contains("not possible", "put the libraries' jars before the class directories");
    }

    @Test
    void theSourceNamesTheJdkAndEachJarWithItsSizeAndTime() throws IOException {
        Path jar = Files.writeString(dir.resolve("a.jar"), "12345");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000));

        assertThat(new ClassDataArchive(dir.resolve("run.jsa"), false, List.of(jar)).source())
                .startsWith("java.home=" + System.getProperty("java.home") + "\njava.vm.version="
                        + System.getProperty("java.vm.version") + "\n")
                .contains(Path.of(System.getProperty("java.home"), "lib", "modules") + " ")
                .endsWith("\n" + jar + " 5 1000\n");
    }

    private static String join(Path... entries) {
        return String.join(
                File.pathSeparator,
                List.of(entries).stream().map(Path::toString).toList());
    }
}
