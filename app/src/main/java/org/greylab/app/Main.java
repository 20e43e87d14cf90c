package org.greylab.app;

/** Entry point of the greylab command (placeholder until the CLI lands). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("not built yet");
    }
}
