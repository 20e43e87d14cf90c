package com.example.untrusted;

import java.util.concurrent.Callable;

/** A task outside Greylab's packages that is neither Serializable nor DataSerializable: Hazelcast's zero-config
 * Compact serialization would carry it by class name. */
public class CompactShell implements Callable<String> {

    public static volatile boolean ran;

    public String payload = "payload";

    @Override
    public String call() {
        ran = true;
        return "ran";
    }
}
