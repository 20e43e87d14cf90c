package org.greylab.engine.wire;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.greylab.engine.security.Sealer;

/**
 * A client's challenge to an engine before it gets any work: the engine answers with its key's MAC over the
 * challenge, its own member UUID and its address ({@link Sealer#proofs}), one MAC per key it accepts, concatenated.
 * The client checks the MAC against the member it sent the challenge to, so a member that relays the challenge to a
 * real engine gets back a MAC that names the real engine and fails.
 */
public final class ProveKeyTask implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {

    public static final int CHALLENGE_BYTES = 32;
    private static final int MAC_BYTES = 32;

    private byte[] challenge;
    private transient HazelcastInstance engine;

    /** For the factory only. */
    ProveKeyTask() {
    }

    public ProveKeyTask(byte[] challenge) {
        this.challenge = challenge.clone();
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.engine = instance;
    }

    @Override
    public byte[] call() {
        if (challenge == null || challenge.length != CHALLENGE_BYTES) {
            return new byte[0];
        }
        Member self = engine.getCluster().getLocalMember();
        List<byte[]> macs = EngineGuard.of(engine).sealer().proofs(challenge, self.getUuid(), address(self));
        byte[] all = new byte[macs.size() * MAC_BYTES];
        for (int i = 0; i < macs.size(); i++) {
            System.arraycopy(macs.get(i), 0, all, i * MAC_BYTES, MAC_BYTES);
        }
        return all;
    }

    /** The address a proof names: as the member itself and every client see it. */
    public static String address(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    /** Whether {@code answer} proves {@code sealer}'s key for {@code member}. */
    public static boolean verifies(Sealer sealer, byte[] challenge, UUID member, String address, byte[] answer) {
        if (answer == null || answer.length == 0 || answer.length % MAC_BYTES != 0 || answer.length > 8 * MAC_BYTES) {
            return false;
        }
        List<byte[]> macs = new ArrayList<>();
        for (int i = 0; i < answer.length; i += MAC_BYTES) {
            macs.add(java.util.Arrays.copyOfRange(answer, i, i + MAC_BYTES));
        }
        return sealer.verifies(challenge, member, address, macs);
    }

    @Override
    public int getFactoryId() {
        return WireTypes.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireTypes.PROVE_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(challenge);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        challenge = in.readByteArray();
    }
}
