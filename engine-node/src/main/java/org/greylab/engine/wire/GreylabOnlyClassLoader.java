package org.greylab.engine.wire;

import java.util.List;

/**
 * The class loader Hazelcast resolves class names from the wire with (members' and clients' {@code setClassLoader}):
 * it loads only the JDK's, Hazelcast's, logging's and Greylab's own classes, and refuses any other name. A plain
 * {@code DataSerializable} names its class on the wire and Hazelcast instantiates it by that name without consulting
 * the Java serialization filter; through this loader, a class outside those packages cannot be instantiated
 * (EngineHardeningTest sends one). Hazelcast's executor threads take it as their context class loader, which
 * Hazelcast's own fallback consults next.
 */
final class GreylabOnlyClassLoader extends ClassLoader {

    private static final List<String> ALLOWED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "com.hazelcast.", "org.greylab.", "org.slf4j.", "ch.qos.logback.");

    static {
        registerAsParallelCapable();
    }

    GreylabOnlyClassLoader(ClassLoader parent) {
        super("greylab-wire", parent);
    }

    static boolean allowed(String className) {
        String name = className;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.startsWith("L") && name.endsWith(";")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.length() == 1) {
            // a primitive array's element: [I, [B, ...
            return true;
        }
        for (String prefix : ALLOWED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!allowed(name)) {
            throw new ClassNotFoundException(name + " is not allowed on a Greylab engine's wire: only Greylab's own"
                    + " classes travel between clients and engines");
        }
        return super.loadClass(name, resolve);
    }
}
