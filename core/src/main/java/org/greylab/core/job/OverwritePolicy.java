package org.greylab.core.job;

/** What to do when an output file already exists when the batch is planned. */
public enum OverwritePolicy {
    /** Leave the existing file and report the image as skipped (the default). */
    SKIP,
    /** Replace the existing file (atomically). */
    OVERWRITE,
    /** Write beside it under a free name: {@code a (1).png}, {@code a (2).png}, ... */
    RENAME
}
