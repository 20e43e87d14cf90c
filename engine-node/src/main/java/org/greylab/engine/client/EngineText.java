package org.greylab.engine.client;

/**
 * Text that comes from an engine (its name, a failure reason, a warning), made safe to show: an engine could send
 * terminal escape sequences, carriage returns that overwrite a line, or bidirectional overrides that reorder it.
 * Every such string passes through {@link #clean} before it reaches a terminal, a log or the window.
 */
public final class EngineText {

    /** An engine name longer than this is cut: the table has room for 20 characters. */
    public static final int MAX_NAME_CHARS = 64;
    /** Reasons and warnings longer than this are cut. */
    public static final int MAX_TEXT_CHARS = 500;

    private EngineText() {
    }

    /** {@code text} without control, format or bidirectional-control characters, cut to {@code maxChars}. */
    public static String clean(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(Math.min(text.length(), maxChars));
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean unsafe = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (!unsafe) {
                clean.appendCodePoint(c);
            }
        });
        return clean.length() <= maxChars ? clean.toString() : clean.substring(0, maxChars) + "…";
    }

    public static String name(String text) {
        return clean(text, MAX_NAME_CHARS);
    }

    public static String text(String text) {
        return clean(text, MAX_TEXT_CHARS);
    }
}
