package com.example.untrusted;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * What an attacker would send an engine: a Java-serializable task from outside Greylab's packages. Engines must
 * refuse to deserialize it.
 */
public final class RemoteShell implements Callable<String>, Serializable {
    private static final long serialVersionUID = 1L;

    public static volatile boolean ran;

    @Override
    public String call() {
        ran = true;
        return "ran on the engine";
    }
}
