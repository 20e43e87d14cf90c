package org.greylab.core.job;

import java.io.IOException;

/**
 * Where a batch writing the user's output folder records what it has done, so that a batch interrupted at any
 * moment (a {@code kill -9}, a power cut) can be resumed without converting again what is already there. The run
 * service calls it the same way for every mode and through every failover: once before the first image, then for
 * each output (between the moment its bytes are on disk under a temporary name and its rename to the planned name)
 * and for each image that failed, and once at the end.
 *
 * <p>Recording an output before its rename means that every output under its planned name is recorded; a record
 * whose rename never happened is found out when resuming, because the output is then missing or not the recorded
 * bytes.
 */
public interface BatchJournal {

    /** The folder inside the output folder that holds the journal: hidden, never an input, never an output. */
    String FOLDER = ".greylab";

    /** No journal: temporary folders (a Compare's other modes, the bench) and dry runs. */
    BatchJournal NONE = new BatchJournal() {
        @Override
        public void started(BatchPlan plan) {
        }

        @Override
        public void outputReady(ImageJob job, OutputRecord output) {
        }

        @Override
        public void failed(ImageJob job, FileResult row) {
        }

        @Override
        public void ended(boolean complete) {
        }
    };

    /**
     * The batch starts writing its plan's output folder, with the settings that decide its bytes (the JPEG
     * decoder included).
     *
     * @throws BatchSetupException when the journal cannot be written, or the batch cannot go on from it
     */
    void started(BatchPlan plan) throws BatchSetupException;

    /**
     * An output is whole on disk under its temporary name and is about to be renamed into place.
     *
     * @throws IOException when it cannot be recorded: the output is then not renamed, and the image fails at
     *                     stage write (or the batch stops, when the disk is full)
     */
    void outputReady(ImageJob job, OutputRecord output) throws IOException;

    /** An image failed; {@code row} says where and why. */
    void failed(ImageJob job, FileResult row);

    /**
     * The batch ended: {@code complete} when every planned image is converted or failed (not cancelled, not
     * stopped). Called again after that (with false) it does nothing.
     */
    void ended(boolean complete);
}
