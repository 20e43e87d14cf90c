package org.greylab.core.schedule;

import java.util.Locale;

/**
 * How many images one task to an engine carries ({@code --group auto|off|N}): {@link #AUTO} sizes each task by the
 * engine's measured work ({@link GroupLimit}), {@link #OFF} sends every image as a task of its own (one task per
 * image, as before grouping existed), {@link #fixed} puts up to N images in a task. Whatever the choice, a task
 * stays within its byte budget and a large image always travels alone.
 *
 * @param kind   auto, off or fixed
 * @param images the most images a task carries: 1 for off, N for fixed, {@link #MAX_IMAGES} for auto
 */
public record TaskGrouping(Kind kind, int images) {

    /** What the choice is. */
    public enum Kind {
        AUTO, OFF, FIXED
    }

    /**
     * The most images one task ever carries. A task of thumbnails (about 1 ms each) reaches its work target with a few
     * dozen; more would only coarsen the tail. The wire refuses more than {@code 4 x} this.
     */
    public static final int MAX_IMAGES = 256;

    public static final TaskGrouping AUTO = new TaskGrouping(Kind.AUTO, MAX_IMAGES);
    public static final TaskGrouping OFF = new TaskGrouping(Kind.OFF, 1);

    public TaskGrouping {
        if (kind == null) {
            throw new IllegalArgumentException("a grouping needs a kind");
        }
        if (images < 1 || images > MAX_IMAGES) {
            throw new IllegalArgumentException("a task carries 1 to " + MAX_IMAGES + " images, not " + images);
        }
    }

    /** Up to {@code images} images a task; 1 is {@link #OFF}. */
    public static TaskGrouping fixed(int images) {
        return images == 1 ? OFF : new TaskGrouping(Kind.FIXED, images);
    }

    /**
     * The choice a word names: {@code auto}, {@code off} or a number from 1 to {@link #MAX_IMAGES} (any case).
     *
     * @throws IllegalArgumentException for any other word, with a sentence that says what is allowed
     */
    public static TaskGrouping parse(String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
        switch (w) {
            case "auto":
                return AUTO;
            case "off":
                return OFF;
            default:
                break;
        }
        int n;
        try {
            n = Integer.parseInt(w);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected auto, off or a number of images from 1 to " + MAX_IMAGES
                    + ", not '" + word + "'");
        }
        if (n < 1 || n > MAX_IMAGES) {
            throw new IllegalArgumentException("a task carries 1 to " + MAX_IMAGES + " images, not " + n);
        }
        return fixed(n);
    }

    /** The word {@link #parse} reads back: {@code auto}, {@code off} or the number. */
    public String word() {
        return switch (kind) {
            case AUTO -> "auto";
            case OFF -> "off";
            case FIXED -> Integer.toString(images);
        };
    }

    @Override
    public String toString() {
        return word();
    }
}
