package org.greylab.core.job;

import java.util.Locale;

public enum FileStatus {
    CONVERTED, SKIPPED, FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
