package org.greylab.core.job;

/**
 * The output folder can take no more outputs: its disk is full, or the folder is gone. Unlike a failure of one image,
 * this is the batch's end: every later write would fail the same way, so the strategies stop dispatching and report
 * the images not written as not done, instead of failing them one by one while the engines go on converting.
 */
public final class OutputUnavailableException extends RuntimeException {

    public OutputUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
