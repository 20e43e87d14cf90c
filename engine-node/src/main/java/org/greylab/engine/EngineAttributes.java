package org.greylab.engine;

/**
 * Names of the member attributes an engine publishes, so a client can show and check it without asking it anything.
 * Shared by both sides of the wire; values are strings, as Hazelcast's member attributes are.
 */
public final class EngineAttributes {

    /** How many images the engine converts at once (its executor's pool size). */
    public static final String SLOTS = "greylab.slots";
    /** Processors on the engine's machine. */
    public static final String CORES = "greylab.cores";
    /** The engine machine's host name. */
    public static final String HOST = "greylab.host";
    /** The engine's label ({@code --name}). */
    public static final String NAME = "greylab.name";
    /** The Greylab version the engine runs. */
    public static final String VERSION = "greylab.version";
    /** The JPEG decoder the engine has: a {@code JpegDecoding} word ({@code java} or {@code turbo}). */
    public static final String JPEG = "greylab.jpeg";
    /** The WebP decoder the engine has: {@code libwebp} or {@code java} ({@code Decoders#webpWord()}). */
    public static final String WEBP = "greylab.webp";
    /** Whether the engine reads HEIC and AVIF: {@code libheif} or {@code none} ({@code Decoders#heifWord()}). */
    public static final String HEIF = "greylab.heif";

    /** Present ({@code true}) on an engine that runs without a cluster key ({@code --insecure-no-key}). */
    public static final String INSECURE = "greylab.insecure";

    /** The executor service that runs Greylab's tasks on every engine. */
    public static final String EXECUTOR = "greylab";

    private EngineAttributes() {
    }
}
