package org.coopcloud.recipeci.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratedSecretsTest {

    @Test
    void generatesTheRequestedLength() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        assertThat(secrets.generate(32)).hasSize(32);
        assertThat(secrets.generate(1)).hasSize(1);
    }

    @Test
    void valuesAreUnambiguousAlphanumerics() {
        String value = new GeneratedSecrets().generate(2000);
        assertThat(value).matches("[a-zA-Z2-9]+").doesNotContain("l", "I", "O", "0", "1");
    }

    @Test
    void twoCallsDifferAndBothAreRemembered() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        String first = secrets.generate(32);
        String second = secrets.generate(32);
        assertThat(first).isNotEqualTo(second);
        assertThat(secrets.values()).containsExactly(first, second);
    }

    @Test
    void valuesIsASnapshot() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        var before = secrets.values();
        secrets.generate(8);
        assertThat(before).isEmpty();
        assertThat(secrets.values()).hasSize(1);
    }

    @Test
    void toStringHidesTheValues() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        String first = secrets.generate(32);
        String second = secrets.generate(32);
        assertThat(secrets.toString())
                .doesNotContain(first)
                .doesNotContain(second)
                .contains("2 value(s)");
    }

    @Test
    void aRememberedValueIsRedactedScannedForAndHiddenOnTheConsole() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        String token = "handed-in-" + System.nanoTime();
        secrets.remember(token);
        secrets.remember(token);

        assertThat(secrets.values()).containsExactly(token);
        assertThat(secrets.redact("Authorization for " + token))
                .isEqualTo("Authorization for " + GeneratedSecrets.REDACTED);
        assertThat(GeneratedSecrets.redactEverywhere("x " + token + " y"))
                .isEqualTo("x " + GeneratedSecrets.REDACTED + " y");
    }

    @Test
    void aValueAnotherToolGeneratedIsRedactedLikeAnOwnOne() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        assertThat(secrets.remember("abra-made-Value-42")).isTrue();
        assertThat(secrets.values()).containsExactly("abra-made-Value-42");
        assertThat(secrets.redact("got abra-made-Value-42 back"))
                .isEqualTo("got " + GeneratedSecrets.REDACTED + " back");
        assertThat(GeneratedSecrets.redactEverywhere("x abra-made-Value-42")).doesNotContain("abra-made-Value-42");
    }

    @Test
    void aValueTooShortToRedactSafelyIsRefused() {
        GeneratedSecrets secrets = new GeneratedSecrets();
        assertThat(secrets.remember("v1")).isFalse();
        assertThat(secrets.remember("  ")).isFalse();
        assertThat(secrets.values()).isEmpty();
        assertThat(secrets.redact("version v1")).isEqualTo("version v1");
    }
}
