package org.greylab.app.engines;

/** The cluster service of this build: engines through Hazelcast. */
public final class ClusterServices {

    private ClusterServices() {
    }

    public static ClusterService create() {
        return new HazelcastClusterService();
    }
}
