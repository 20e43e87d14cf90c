package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;
import java.util.concurrent.CancellationException;

/**
 * How a {@link CancellationException} travels between members: its message only, never Java serialization. An engine
 * that cancels a task answers the member that handed it the task with a CancellationException, and when a client
 * reached the engine through another member (its own link to that engine not open yet, or lost), that answer crosses
 * from member to member. Java-serialized, the exception names its class chain up to {@code Throwable}, its stack
 * trace elements and an empty list, and the Java serialization filter, which admits Greylab's package only, refused
 * the first of them: the member logged the refusal and the client's task waited for Hazelcast's operation timeout.
 * This type builds exactly a CancellationException from one string, which has no side effect, and leaves the filter
 * as narrow as it was.
 */
final class CancellationSerializer implements StreamSerializer<CancellationException> {

    /** "GRL" then 1: unique among the serializers of Greylab's wire (Hazelcast's own type ids are negative). */
    static final int TYPE_ID = WireTypes.FACTORY_ID << 8 | 1;

    @Override
    public int getTypeId() {
        return TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, CancellationException cancellation) throws IOException {
        String message = cancellation.getMessage();
        out.writeString(message == null || message.length() <= WireCodec.MAX_TEXT_CHARS ? message
                : message.substring(0, WireCodec.MAX_TEXT_CHARS));
    }

    @Override
    public CancellationException read(ObjectDataInput in) throws IOException {
        return new CancellationException(in.readString());
    }
}
