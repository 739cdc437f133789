package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppDomainsTest {
    private static final String SUFFIX = "ci.commoninternet.net";

    private static AppDomain forRun(String recipe, String pr, String ref) {
        return AppDomains.forRun(new RecipeName(recipe), pr, ref, SUFFIX);
    }

    @Test
    void formatIsFourCharsDashSixHexDotSuffix() {
        AppDomain domain = forRun("hello", "0", "main");
        assertThat(domain.value()).matches("hell-[0-9a-f]{6}\\.ci\\.commoninternet\\.net");
    }

    @Test
    void hashIsSha1OfRecipePrAndRef() {
        // sha1("hello|0|main") — the same name cc-ci computes, so both can share a host
        assertThat(forRun("hello", "0", "main").value())
                .isEqualTo("hell-" + sha1("hello|0|main").substring(0, 6) + "." + SUFFIX);
    }

    @Test
    void sameInputsGiveTheSameDomain() {
        assertThat(forRun("hello", "12", "feature/x")).isEqualTo(forRun("hello", "12", "feature/x"));
    }

    @Test
    void differentPrOrRefOrRecipeGiveDifferentDomains() {
        AppDomain base = forRun("hello", "12", "main");
        assertThat(forRun("hello", "13", "main")).isNotEqualTo(base);
        assertThat(forRun("hello", "12", "feature/x")).isNotEqualTo(base);
        assertThat(forRun("hellos", "12", "main")).isNotEqualTo(base);
    }

    @Test
    void shortRecipeNamesUseTheWholeName() {
        assertThat(forRun("a", "0", "main").value()).startsWith("a-").matches("a-[0-9a-f]{6}\\..*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "my-app", "a-b-c-d-e", "a", "ab1", "9-lives", "plausible"})
    void everyRunDomainMatchesTheRunAppPattern(String recipe) {
        AppDomain domain = forRun(recipe, "7", "main");
        assertThat(AppDomains.runAppPattern(SUFFIX).matcher(domain.value()).matches())
                .as(domain.value())
                .isTrue();
    }

    @Test
    void dashesAreDroppedFromThePrefix() {
        assertThat(forRun("my-app", "0", "main").value()).startsWith("myap-");
    }

    @Test
    void stackNameOfARunDomainIsValid() {
        assertThat(forRun("my-app", "0", "main").stackName().value()).matches("myap-[0-9a-f]{6}_ci_commoninternet_net");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "warm-keycloak.ci.commoninternet.net",
                "hello.ci.commoninternet.net",
                "hell-1a2b3c.ci.example.org",
                "HELL-1A2B3C.ci.commoninternet.net",
                "hell-1a2b3c.CI.commoninternet.net",
                "hello-1a2b3c.ci.commoninternet.net",
                "hell-1a2b3g.ci.commoninternet.net",
                "hell-1a2b3c4.ci.commoninternet.net",
                "x.hell-1a2b3c.ci.commoninternet.net",
                "hell-1a2b3c.ciXcommoninternet.net",
                "hell-1a2b3c.ci.commoninternet.net.evil.org"
            })
    void runAppPatternRejectsEverythingElse(String domain) {
        assertThat(AppDomains.runAppPattern(SUFFIX).matcher(domain).matches()).isFalse();
    }

    @Test
    void runAppPatternAcceptsARunDomain() {
        Pattern pattern = AppDomains.runAppPattern(SUFFIX);
        assertThat(pattern.matcher("hell-1a2b3c.ci.commoninternet.net").matches())
                .isTrue();
    }

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
