package org.coopcloud.recipeci.recipes.hello;

/**
 * The IT classes that start many harness JVMs at once (FaultMatrixIT's 21, BadInputIT's 66 six at a time,
 * SigtermAnyInstantIT's runs) hold this lock, so that no two of them run side by side: on two cores they would starve
 * each other's timing bounds. The other classes run alongside them.
 */
final class ManyJvms {
    static final String LOCK = "recipe-ci-its:many-jvms";

    private ManyJvms() {}
}
