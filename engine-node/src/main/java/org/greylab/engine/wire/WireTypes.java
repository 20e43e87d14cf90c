package org.greylab.engine.wire;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.concurrent.CancellationException;

/**
 * What may travel between a Greylab client and its engines, and how. Members and clients apply the same
 * {@link #secure(SerializationConfig)}: Greylab's own types travel as {@link IdentifiedDataSerializable} (no Java
 * serialization), and Java serialization, should anything attempt it, only accepts classes under {@code org.greylab.}.
 */
public final class WireTypes {

    /** "GRL": the factory id of every Greylab wire type. */
    public static final int FACTORY_ID = 0x47524C;

    static final int CONVERT_TASK = 1;
    static final int OUTCOME = 2;
    static final int WARM_UP = 3;
    static final int PROVE_KEY = 4;
    static final int CONVERT_GROUP = 5;
    static final int GROUP_OUTCOME = 6;

    private WireTypes() {
    }

    /** The one factory that builds Greylab's wire types on the receiving side. */
    public static DataSerializableFactory factory() {
        return classId -> switch (classId) {
            case CONVERT_TASK -> new RemoteConvertTask();
            case OUTCOME -> new RemoteOutcome();
            case WARM_UP -> new RemoteWarmUpTask();
            case PROVE_KEY -> new ProveKeyTask();
            case CONVERT_GROUP -> new RemoteConvertGroup();
            case GROUP_OUTCOME -> new RemoteGroupOutcome();
            default -> null;
        };
    }

    /**
     * Registers Greylab's factory and turns the class filters on, allowing only Greylab's package: the Java
     * serialization filter, and the filter of Compact's zero-config (reflective) serialization, which would otherwise
     * build any class it is named. Plain {@code DataSerializable} is covered by {@link #classLoader()}. A cancelled
     * task's answer, the one JDK object that crosses between members, travels as {@link CancellationSerializer}'s
     * type instead of Java serialization, so the filter needs no JDK class.
     */
    public static SerializationConfig secure(SerializationConfig config) {
        config.setJavaSerializationFilterConfig(greylabOnly());
        config.getCompactSerializationConfig().setZeroConfigFilter(greylabOnly());
        config.addDataSerializableFactory(FACTORY_ID, factory());
        config.addSerializerConfig(new SerializerConfig().setTypeClass(CancellationException.class)
                .setImplementation(new CancellationSerializer()));
        return config;
    }

    private static JavaSerializationFilterConfig greylabOnly() {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        // Hazelcast's defaults would also allow java.*, javax.* and com.hazelcast.*: Greylab needs none of them.
        filter.setDefaultsDisabled(true);
        filter.getWhitelist().addPrefixes("org.greylab.");
        return filter;
    }

    /** The class loader members and clients resolve class names from the wire with: Greylab's and the platform's. */
    public static ClassLoader classLoader() {
        return new GreylabOnlyClassLoader(WireTypes.class.getClassLoader());
    }
}
