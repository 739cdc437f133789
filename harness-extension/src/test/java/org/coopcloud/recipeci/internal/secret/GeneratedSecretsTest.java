package org.coopcloud.recipeci.internal.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratedSecretsTest {

    @Test
    void generatesTheRequestedLength() {
        RunSecrets secrets = new RunSecrets();
        assertThat(secrets.generate(32)).hasSize(32);
        assertThat(secrets.generate(1)).hasSize(1);
    }

    @Test
    void aGeneratedValueTooShortToRedactIsNotRemembered() {
        RunSecrets secrets = new RunSecrets();
        String tiny = secrets.generate(4);

        assertThat(tiny).hasSize(4);
        assertThat(secrets.values()).isEmpty();
        assertThat(RunSecrets.redactable(7)).isFalse();
        assertThat(RunSecrets.redactable(8)).isTrue();
    }

    @Test
    void valuesAreUnambiguousAlphanumerics() {
        String value = new RunSecrets().generate(2000);
        assertThat(value).matches("[a-zA-Z2-9]+").doesNotContain("l", "I", "O", "0", "1");
    }

    @Test
    void twoCallsDifferAndBothAreRemembered() {
        RunSecrets secrets = new RunSecrets();
        String first = secrets.generate(32);
        String second = secrets.generate(32);
        assertThat(first).isNotEqualTo(second);
        assertThat(secrets.values()).containsExactly(first, second);
    }

    @Test
    void valuesIsASnapshot() {
        RunSecrets secrets = new RunSecrets();
        var before = secrets.values();
        secrets.generate(8);
        assertThat(before).isEmpty();
        assertThat(secrets.values()).hasSize(1);
    }

    @Test
    void toStringHidesTheValues() {
        RunSecrets secrets = new RunSecrets();
        String first = secrets.generate(32);
        String second = secrets.generate(32);
        assertThat(secrets.toString())
                .doesNotContain(first)
                .doesNotContain(second)
                .contains("2 value(s)");
    }

    @Test
    void aRememberedValueIsRedactedAndScannedFor() {
        RunSecrets secrets = new RunSecrets();
        String token = "handed-in-" + System.nanoTime();
        secrets.remember(token);
        secrets.remember(token);

        assertThat(secrets.values()).containsExactly(token);
        assertThat(secrets.redact("Authorization for " + token)).isEqualTo("Authorization for " + RunSecrets.REDACTED);
    }

    @Test
    void aValueAnotherToolGeneratedIsRedactedLikeAnOwnOne() {
        RunSecrets secrets = new RunSecrets();
        assertThat(secrets.remember("abra-made-Value-42")).isTrue();
        assertThat(secrets.values()).containsExactly("abra-made-Value-42");
        assertThat(secrets.redact("got abra-made-Value-42 back")).isEqualTo("got " + RunSecrets.REDACTED + " back");
    }

    @Test
    void aValueTooShortToRedactSafelyIsRefused() {
        RunSecrets secrets = new RunSecrets();
        assertThat(secrets.remember("v1")).isFalse();
        assertThat(secrets.remember("  ")).isFalse();
        assertThat(secrets.values()).isEmpty();
        assertThat(secrets.redact("version v1")).isEqualTo("version v1");
    }
}
