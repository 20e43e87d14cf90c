package org.greylab.core.image;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A value made from an embedded ICC profile's bytes, kept for the next image with the same profile (a folder's
 * images carry a few profiles, the same bytes over and over). The values kept are in sets that one image at a time
 * uses ({@link Reusables}): no lock on the way, and values that must not be shared (a {@code ColorConvertOp} sets its
 * transform on first use) are used by one thread at a time.
 *
 * @param <V> what is made from a profile
 */
final class PerProfile<V> {

    /** Profiles kept per set: a folder's photos come from a few cameras and editors. */
    private static final int KEPT = 8;

    private final Function<byte[], V> make;
    // keyed by the profile's bytes (a ByteBuffer compares its contents), least recently used first
    private final Reusables<Map<ByteBuffer, V>> sets = new Reusables<>(
            () -> new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, V> eldest) {
                    return size() > KEPT;
                }
            });

    PerProfile(Function<byte[], V> make) {
        this.make = make;
    }

    /**
     * {@code use} applied to the value for the profile {@code icc}, made from a copy of it when the set at hand has
     * none; no other thread uses the value until {@code use} returns.
     */
    <R> R with(byte[] icc, Function<V, R> use) {
        Map<ByteBuffer, V> values = sets.take();
        try {
            V value = values.get(ByteBuffer.wrap(icc));
            if (value == null) {
                // the key kept is a copy: the caller's array may be reused
                byte[] copy = icc.clone();
                value = make.apply(copy);
                values.put(ByteBuffer.wrap(copy), value);
            }
            return use.apply(value);
        } finally {
            sets.giveBack(values);
        }
    }
}
