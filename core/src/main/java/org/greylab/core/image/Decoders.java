package org.greylab.core.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The decoders of a batch where the choice changes its outputs: the JPEG decoder (libjpeg-turbo and the Java path
 * round a level apart here and there), the WebP decoder (libwebp decodes lossy WebP exactly, the Java decoder only
 * approximately) and whether HEIC/AVIF is read at all (only libheif reads it). The client fixes them once per batch
 * from what every party has (this process when serial runs, every engine), and each engine reports its own, so that
 * every mode, engine and failover of a batch writes the same bytes.
 *
 * @param jpeg    the JPEG decoder
 * @param libwebp WebP through libwebp; the Java decoder otherwise
 * @param libheif HEIC and AVIF through libheif; such files fail otherwise
 */
public record Decoders(JpegDecoding jpeg, boolean libwebp, boolean libheif) {

    /** What every party has: the Java decoders, and no HEIF. */
    public static final Decoders JAVA_ONLY = new Decoders(JpegDecoding.JAVA, false, false);

    public Decoders {
        Objects.requireNonNull(jpeg, "jpeg");
    }

    /** The best this process has ({@link JpegDecoders}, {@link WebpDecoders}, {@link HeifDecoders}). */
    public static Decoders preferred() {
        return new Decoders(JpegDecoders.preferred(), WebpDecoders.available(), HeifDecoders.available());
    }

    /**
     * What this process's own settings allow, without opening any library: {@code -Dgreylab.jpeg=java} and
     * {@code -Dgreylab.webp=java} take theirs out. A command's batch starts from this and is narrowed to what its
     * parties have when it runs (this process when serial runs, every engine), so a client whose engines do the
     * decoding never opens the native libraries itself (about a tenth of a second of its start-up).
     */
    public static Decoders allowed() {
        return new Decoders(JpegDecoders.allowed(), WebpDecoders.allowed(), true);
    }

    /** What both this party and {@code other} can do. */
    public Decoders and(Decoders other) {
        return new Decoders(jpeg.and(other.jpeg), libwebp && other.libwebp, libheif && other.libheif);
    }

    /** The native decoders {@code batch} uses that this party lacks, by name; empty when it can take the batch. */
    public List<String> lacking(Decoders batch) {
        List<String> lacking = new ArrayList<>();
        if (batch.jpeg == JpegDecoding.TURBO && jpeg != JpegDecoding.TURBO) {
            lacking.add("libjpeg-turbo");
        }
        if (batch.libwebp && !libwebp) {
            lacking.add("libwebp");
        }
        if (batch.libheif && !libheif) {
            lacking.add("libheif");
        }
        return lacking;
    }

    /** The word an engine publishes and the CLI shows for its WebP decoder: {@code libwebp} or {@code java}. */
    public String webpWord() {
        return libwebp ? "libwebp" : "java";
    }

    /** The word for HEIC/AVIF: {@code libheif} or {@code none}. */
    public String heifWord() {
        return libheif ? "libheif" : "none";
    }

    /** From the three words ({@link JpegDecoding#word()}, {@link #webpWord()}, {@link #heifWord()}); a missing or
     * unknown word (an older engine) means the Java decoder, or no HEIF. */
    public static Decoders fromWords(String jpeg, String webp, String heif) {
        return new Decoders(JpegDecoding.TURBO.word().equals(jpeg) ? JpegDecoding.TURBO : JpegDecoding.JAVA,
                "libwebp".equals(webp), "libheif".equals(heif));
    }

    /** {@code jpeg turbo, webp libwebp, heif libheif}: one line for tables and logs. */
    public String words() {
        return "jpeg " + jpeg.word() + ", webp " + webpWord() + ", heif " + heifWord();
    }
}
