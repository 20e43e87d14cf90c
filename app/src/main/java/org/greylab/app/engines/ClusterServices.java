package org.greylab.app.engines;

import java.nio.file.Path;

/** The cluster service of this build: engines through Hazelcast. */
public final class ClusterServices {

    private ClusterServices() {
    }

    /** @param clusterFile where to look for running engines; null for the default cluster file */
    public static ClusterService create(Path clusterFile) {
        return new HazelcastClusterService(clusterFile);
    }
}
