package org.coopcloud.recipeci.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /**
     * Names computed the way cc-ci computes them (seed 001, §3: {@code <recipe[:4]>-<sha1(recipe|pr|ref)[:6]>}), by
     * Python's hashlib, not by this code. Each row was printed by
     *
     * <pre>
     * python3 -c 'import hashlib, sys; r, p, f = sys.argv[1:4]; print(r[:4] + "-"
     *     + hashlib.sha1((r + "|" + p + "|" + f).encode()).hexdigest()[:6] + ".ci.commoninternet.net")' RECIPE PR REF
     * </pre>
     */
    @ParameterizedTest(name = "{0}|{1}|{2} -> {3}")
    @CsvSource(
            delimiter = '|',
            emptyValue = "",
            value = {
                "hello       | 0  | main              | hell-7f052a.ci.commoninternet.net",
                "hello       | 12 | refs/pull/12/head | hell-a66a1f.ci.commoninternet.net",
                "my-app      | 7  | feature/x         | my-a-3ecac8.ci.commoninternet.net",
                "co-op-cloud | 3  | abc123            | co-o-ae4258.ci.commoninternet.net",
                "hello       | 0  | 1.0.0+2.0         | hell-c04177.ci.commoninternet.net",
                "ab          | 0  | main              | ab-595f48.ci.commoninternet.net",
                "hello       | 0  | ''                | hell-620c9a.ci.commoninternet.net",
                "abc-d       | 5  | main              | abc--2baf6e.ci.commoninternet.net"
            })
    void namesAreExactlyCcCisForTheSameRecipePrAndRef(String recipe, String pr, String ref, String ccCi) {
        assertThat(forRun(recipe, pr, ref).value()).isEqualTo(ccCi);
        assertThat(AppDomains.runAppPattern(SUFFIX).matcher(ccCi).matches())
                .as("recipe-ci's janitor pattern takes cc-ci's name, also with a '-' in the prefix")
                .isTrue();
    }

    @Test
    void theRefIsTheOneGivenNotTheCommitItResolvesTo() {
        RecipeName hello = new RecipeName("hello");
        CodeUnderTest atMain = CodeUnderTest.defaultBranch(hello).atRef("main").forPullRequest("12");
        assertThat(AppDomains.refAsGiven(atMain)).isEqualTo("main");
        assertThat(AppDomains.refAsGiven(CodeUnderTest.defaultBranch(hello).atVersion(new Version("1.0.0+2.0"))))
                .isEqualTo("1.0.0+2.0");
        assertThat(AppDomains.refAsGiven(CodeUnderTest.defaultBranch(hello))).isEmpty();
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
    void thePrefixKeepsItsDashesAsCcCisDoes() {
        assertThat(forRun("my-app", "0", "main").value()).startsWith("my-a-");
    }

    @Test
    void stackNameOfARunDomainIsValid() {
        assertThat(forRun("my-app", "0", "main").stackName().value()).matches("my-a-[0-9a-f]{6}_ci_commoninternet_net");
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
