package org.greylab.core.image;

/** The PNG row filter the encoder uses; ADAPTIVE picks per row the filter whose output sums smallest. */
public enum PngFilter {
    NONE, SUB, UP, AVERAGE, PAETH, ADAPTIVE
}
