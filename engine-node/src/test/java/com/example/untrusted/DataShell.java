package com.example.untrusted;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/** A task outside Greylab's packages that travels as a plain (not identified) DataSerializable, named by class. */
public class DataShell implements Callable<String>, DataSerializable {

    public static volatile boolean ran;

    @Override
    public String call() {
        ran = true;
        return "ran";
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString("payload");
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        in.readString();
    }
}
