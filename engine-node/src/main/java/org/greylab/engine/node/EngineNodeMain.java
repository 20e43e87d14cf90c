package org.greylab.engine.node;

import picocli.CommandLine;

/**
 * Entry point of engine-node.jar. It sets up logging before any logger exists (so no static logger here): the
 * engine's own logback configuration, not a logback.xml that would clash with the app's on the app's class path.
 */
public final class EngineNodeMain {

    private EngineNodeMain() {
    }

    public static void main(String[] args) {
        setDefault("logback.configurationFile", "org/greylab/engine/node/engine-logback.xml");
        setDefault("hazelcast.logging.type", "slf4j");
        setDefault("java.awt.headless", "true");
        setDefault("greylab.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.exit(new CommandLine(new EngineNodeCommand()).execute(args));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
