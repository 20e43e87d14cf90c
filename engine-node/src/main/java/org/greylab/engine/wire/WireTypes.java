package org.greylab.engine.wire;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

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

    private WireTypes() {
    }

    /** The one factory that builds Greylab's wire types on the receiving side. */
    public static DataSerializableFactory factory() {
        return classId -> switch (classId) {
            case CONVERT_TASK -> new RemoteConvertTask();
            case OUTCOME -> new RemoteOutcome();
            case WARM_UP -> new RemoteWarmUpTask();
            default -> null;
        };
    }

    /** Registers Greylab's factory and turns the Java serialization filter on, allowing only Greylab's package. */
    public static SerializationConfig secure(SerializationConfig config) {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        // Hazelcast's defaults would also allow java.*, javax.* and com.hazelcast.*: Greylab needs none of them.
        filter.setDefaultsDisabled(true);
        filter.getWhitelist().addPrefixes("org.greylab.");
        config.setJavaSerializationFilterConfig(filter);
        config.addDataSerializableFactory(FACTORY_ID, factory());
        return config;
    }
}
