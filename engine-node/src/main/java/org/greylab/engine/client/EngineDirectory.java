package org.greylab.engine.client;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.JpegDecoding;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;
import org.greylab.engine.EngineAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps member UUIDs to engine ids, in join order: the one place where that mapping lives. Engines get small integer
 * ids in the order they joined, like ipyparallel's {@code rc.ids}; a member that runs another Greylab version, or is
 * no Greylab engine, is refused (listed by {@link #refused()}, never given an id). Each engine that joins or leaves
 * is reported to the listener given, outside this directory's lock.
 */
final class EngineDirectory implements InitialMembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(EngineDirectory.class);

    private final String version;
    private final EngineListener changes;
    private final Map<UUID, Integer> ids = new LinkedHashMap<>();
    private final Map<Integer, Member> members = new LinkedHashMap<>();
    private final Map<Integer, EngineInfo> infos = new LinkedHashMap<>();
    private final Map<UUID, String> refusals = new LinkedHashMap<>();
    private int nextId;

    /**
     * @param version the Greylab version engines must run to be taken on: this client's
     * @param changes hears each engine taken on and each one that leaves
     */
    EngineDirectory(String version, EngineListener changes) {
        this.version = version;
        this.changes = changes;
    }

    @Override
    public void init(InitialMembershipEvent event) {
        // the event's own set is a HashSet; the cluster's list is in join order (oldest first)
        Set<Member> initial = event.getMembers();
        for (Member member : event.getCluster().getMembers()) {
            if (initial.contains(member)) {
                added(member);
            }
        }
        initial.forEach(this::added);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        added(event.getMember());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        EngineInfo gone;
        synchronized (this) {
            refusals.remove(event.getMember().getUuid());
            Integer id = ids.get(event.getMember().getUuid());
            if (id == null || members.remove(id) == null) {
                return;
            }
            gone = infos.remove(id);
            notifyAll();
        }
        changes.engineGone(gone);
    }

    private void added(Member member) {
        EngineInfo joined;
        synchronized (this) {
            if (ids.containsKey(member.getUuid()) || refusals.containsKey(member.getUuid())) {
                return;
            }
            String refusal = refusal(member);
            if (refusal != null) {
                refusals.put(member.getUuid(), refusal);
                LOG.warn("refused: {}", refusal);
                return;
            }
            int id = nextId++;
            ids.put(member.getUuid(), id);
            members.put(id, member);
            joined = info(id, member);
            infos.put(id, joined);
            notifyAll();
        }
        changes.engineJoined(joined);
    }

    private String refusal(Member member) {
        String address = address(member);
        String engineVersion = member.getAttribute(EngineAttributes.VERSION);
        if (engineVersion == null) {
            return "the member at " + address + " is not a Greylab engine";
        }
        if (!engineVersion.equals(version)) {
            String name = member.getAttribute(EngineAttributes.NAME);
            return "engine \"" + name + "\" at " + address + " runs Greylab " + engineVersion
                    + " but this client runs Greylab " + version
                    + ": start the engines from the engine-node.jar of the same build";
        }
        return null;
    }

    /** The member that engine {@code id} is now, or null if it left or never was. */
    synchronized Member member(int id) {
        return members.get(id);
    }

    /** Whether {@code id} was ever given to an engine, gone or not. */
    synchronized boolean knows(int id) {
        return id >= 0 && id < nextId;
    }

    synchronized List<EngineInfo> current() {
        List<EngineInfo> list = new ArrayList<>(infos.values());
        list.sort(Comparator.comparingInt(EngineInfo::id));
        return List.copyOf(list);
    }

    synchronized List<String> refused() {
        return List.copyOf(refusals.values());
    }

    synchronized boolean awaitCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (infos.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private EngineInfo info(int id, Member member) {
        String name = member.getAttribute(EngineAttributes.NAME);
        return new EngineInfo(id, name == null ? address(member) : name, address(member),
                intAttribute(member, EngineAttributes.SLOTS), intAttribute(member, EngineAttributes.CORES),
                member.getAttribute(EngineAttributes.VERSION), jpeg(member));
    }

    /** An engine that does not say (an older build) decodes with the Java path. */
    private static JpegDecoding jpeg(Member member) {
        return JpegDecoding.TURBO.word().equals(member.getAttribute(EngineAttributes.JPEG)) ? JpegDecoding.TURBO
                : JpegDecoding.JAVA;
    }

    private String address(Member member) {
        String host = member.getAddress().getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + member.getAddress().getPort();
    }

    private int intAttribute(Member member, String key) {
        try {
            return Integer.parseInt(member.getAttribute(key));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
