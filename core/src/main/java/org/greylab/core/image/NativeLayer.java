package org.greylab.core.image;

import java.lang.reflect.InvocationTargetException;

/**
 * Opens one of the native decoders of the jar's Java 22 layer (libjpeg-turbo, libwebp, libheif through the Foreign
 * Function &amp; Memory API) by its class name, so that this Java 17 code never links to it, and says in words why it
 * cannot be had here. Each decoder's own {@code open()} loads its library and checks it on an embedded sample.
 */
final class NativeLayer {

    private NativeLayer() {
    }

    /**
     * @param className the decoder's class in the Java 22 layer, with a static {@code open()}
     * @param type      the Java 17 interface it implements
     * @param library   the library's name for the reasons ({@code libwebp})
     * @throws Unavailable the runtime is older than 22, the build has no Java 22 layer, the library is missing or
     *                     failed its check (the reason says which)
     */
    static <T> T open(String className, Class<T> type, String library) throws Unavailable {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            throw new Unavailable(library + " needs Java 22 or newer (this is Java " + feature + ")");
        }
        Class<?> implementation;
        try {
            implementation = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new Unavailable("this build has no " + library + " layer (it was built on a JDK older than 22)");
        }
        try {
            return type.cast(implementation.getDeclaredMethod("open").invoke(null));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Unavailable unavailable) {
                throw unavailable;
            }
            // the decoders' own words: not installed, too old, or unlike the reference on the embedded sample
            if (cause instanceof IllegalStateException) {
                throw new Unavailable(cause.getMessage(), cause);
            }
            throw new Unavailable(library + " failed to start: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new Unavailable(library + " failed to start: " + e, e);
        }
    }

    /** Why a native decoder cannot be used here, in words. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
