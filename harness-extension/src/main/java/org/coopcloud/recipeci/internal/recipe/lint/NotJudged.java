package org.coopcloud.recipeci.internal.recipe.lint;

/**
 * A rule that was not judged for this recipe: abra skips it too (its skip condition holds), or it cannot be judged
 * from the recipe's files (it needs the network or abra's catalogue).
 */
public record NotJudged(String rule, Severity severity, String description, String reason) {}
