package org.greylab.core.image;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A value made from an embedded ICC profile's bytes, kept per thread for the next image with the same profile (a
 * folder's images carry a few profiles, the same bytes over and over). Per thread: no lock on the way, and values
 * that must not be shared (a {@code ColorConvertOp} sets its transform on first use) stay with one thread.
 *
 * @param <V> what is made from a profile
 */
final class PerProfile<V> {

    /** Profiles kept per thread: a folder's photos come from a few cameras and editors. */
    private static final int KEPT = 8;

    private final Function<byte[], V> make;
    // keyed by the profile's bytes (a ByteBuffer compares its contents), least recently used first
    private final ThreadLocal<Map<ByteBuffer, V>> kept = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, V> eldest) {
                    return size() > KEPT;
                }
            });

    PerProfile(Function<byte[], V> make) {
        this.make = make;
    }

    /** The value for the profile {@code icc}, made from a copy of it the first time this thread asks. */
    V of(byte[] icc) {
        Map<ByteBuffer, V> values = kept.get();
        V value = values.get(ByteBuffer.wrap(icc));
        if (value == null) {
            // the key kept is a copy: the caller's array may be reused
            byte[] copy = icc.clone();
            value = make.apply(copy);
            values.put(ByteBuffer.wrap(copy), value);
        }
        return value;
    }
}
