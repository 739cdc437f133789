package org.coopcloud.recipeci.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Test;

/**
 * junit-platform.properties names the tier class orderer by its class name, which no compiler checks: JUnit only
 * logs a warning for a class it cannot load, and IDE and Surefire runs would then run the tiers in any order.
 */
class JunitPlatformPropertiesTest {
    @Test
    void theDefaultClassOrdererIsAClassOrdererThatExists() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("junit-platform.properties")) {
            assertThat(in)
                    .as("junit-platform.properties on the test class path")
                    .isNotNull();
            properties.load(in);
        }
        String orderer = properties.getProperty("junit.jupiter.testclass.order.default");

        assertThat(orderer).isNotBlank();
        assertThat(ClassOrderer.class.isAssignableFrom(Class.forName(orderer)))
                .as(orderer + " is a ClassOrderer")
                .isTrue();
    }
}
