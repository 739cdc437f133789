package org.coopcloud.recipeci.internal.deploy;

/**
 * Makes one kind of {@link DeployDriver}. Every driver, the built-in ones included, registers its factory as a
 * {@link java.util.ServiceLoader} service ({@code META-INF/services}); {@link DeployDrivers} picks one by name.
 */
public interface DeployDriverFactory {
    /** The name a run asks for ({@code recipeci.driver}). */
    String name();

    DeployDriver create(DriverContext context);
}
