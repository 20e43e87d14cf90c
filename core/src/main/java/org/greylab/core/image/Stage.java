package org.greylab.core.image;

import java.util.Locale;

/** Where in the path of one image something happened (or failed). */
public enum Stage {
    READ, DECODE, CONVERT, ENCODE, WRITE;

    /** The lower-case name reports use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
