package org.coopcloud.recipeci.internal.deploy;

import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.log.RunLog;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * What a driver is made with: the run's settings, its command runner and log, and its secrets (to redact what the
 * driver's tools print).
 */
public record DriverContext(RunConfig config, CommandRunner runner, RunLog log, RunSecrets secrets) {}
