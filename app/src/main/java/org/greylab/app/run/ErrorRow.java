package org.greylab.app.run;

/** One failed image in the errors list: file, stage, reason in words, and the engine that tried it. */
public record ErrorRow(String file, String stage, String reason, String engine) {
}
