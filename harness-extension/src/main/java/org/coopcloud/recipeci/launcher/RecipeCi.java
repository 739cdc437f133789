package org.coopcloud.recipeci.launcher;

import org.coopcloud.recipeci.internal.junit.RecipeCiMain;
import org.coopcloud.recipeci.internal.lifetime.Lifetime;
import org.coopcloud.recipeci.internal.log.ConsoleTee;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * {@code java -cp ... org.coopcloud.recipeci.launcher.RecipeCi} — what {@code mvn verify -Drecipe=NAME} runs in a
 * forked JVM. Exit codes: 0 green, 1 tests failed, 2 configuration error, 3 recipe-ci itself failed; 143, 130, 129,
 * 142 when stopped.
 */
public final class RecipeCi {
    private RecipeCi() {}

    public static void main(String[] args) {
        Lifetime.parentAtStart();
        RunSecrets secrets = new RunSecrets();
        ConsoleTee console = ConsoleTee.install(secrets);
        if (args.length > 0) {
            System.out.println("usage: java -Drecipe=NAME [-Drecipeci.version=V | -Drecipeci.ref=REF]"
                    + " [-Dstages=install,...] -cp CLASSPATH " + RecipeCi.class.getName()
                    + "\n(configuration comes from -D properties and RECIPECI_* variables; see docs/operations.md)");
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : RecipeCiMain.BAD_CONFIGURATION);
        }
        int code;
        try {
            code = new RecipeCiMain(System.out, System.getProperties(), System.getenv(), secrets, console).run();
        } catch (Throwable t) {
            // RecipeCiMain ends every way out itself; this is the last resort, without a trace either.
            System.out.println("recipe-ci: internal error: " + t);
            code = RecipeCiMain.INTERNAL_ERROR;
        }
        System.exit(code);
    }
}
