package org.coopcloud.recipeci.recipes.hello;

/**
 * The IT classes that start many harness JVMs at once (FaultMatrixIT's 21, BadInputIT's 66 six at a time,
 * SigtermAnyInstantIT's runs) hold this lock, so that no two of them run side by side: on two cores they would starve
 * each other's timing bounds. The other classes run alongside them.
 */
public final class ManyJvms {
    static final String LOCK = "recipe-ci-its:many-jvms";

    /**
     * Held by FaultMatrixIT (21 JVMs at once, a load of 15 and more on two cores) and by the classes whose apps
     * time out under such load (PgnotesRunIT: the app's CGI gives PostgreSQL 3 s to answer).
     */
    public static final String PEAK_LOAD = "recipe-ci-its:peak-load";

    private ManyJvms() {}
}
