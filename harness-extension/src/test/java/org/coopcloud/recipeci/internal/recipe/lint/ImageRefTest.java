package org.coopcloud.recipeci.internal.recipe.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image references and tagcmp's "semver-like" tags (the examples are tagcmp's README's). */
class ImageRefTest {
    @Test
    void splitsNameTagAndDigest_aRegistryPortIsNotATag() {
        assertThat(ImageRef.parse("nginx:1.25"))
                .isEqualTo(new ImageRef("nginx", Optional.of("1.25"), Optional.empty()));
        assertThat(ImageRef.parse("registry:5000/app").tag()).isEmpty();
        assertThat(ImageRef.parse("registry:5000/app").nameOnly()).isTrue();
        assertThat(ImageRef.parse("app@sha256:abc").digest()).contains("sha256:abc");
        assertThat(ImageRef.parse("app@sha256:abc").nameOnly()).isFalse();
        assertThat(ImageRef.parse("ghcr.io/a/b:17-3.5@sha256:abc").tag()).contains("17-3.5");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "5",
                "2.6",
                "4.3.5",
                "v1",
                "v2.3",
                "v1.0.2",
                "6-alpine",
                "6.2-alpine",
                "6.2.1-alpine",
                "v6-alpine",
                "v6.2.1-alpine",
                "v6.2.1-alpine-foo",
                "17-3.5",
                "1.0.6-social-amd64",
                "v2.4.8"
            })
    void semverLikeTags(String tag) {
        assertThat(ImageRef.semverLike(tag)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "${MAILU_VERSION:-master}",
                "${PHP_VERSION}-fpm-alpine3.13",
                "0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d",
                "20191109",
                "e02267d",
                "3.0.6.0",
                "r1295",
                "version-r1070",
                "latest",
                "mainline"
            })
    void tagsThatAreNot(String tag) {
        assertThat(ImageRef.semverLike(tag)).isFalse();
    }
}
