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
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.greylab.core.image.Decoders;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;
import org.greylab.engine.EngineAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps member UUIDs to engine ids, in join order: the one place where that mapping lives. Engines get small integer
 * ids in the order they proved the key, like ipyparallel's {@code rc.ids}; a member that runs another Greylab
 * version, is no Greylab engine, or does not prove the cluster key (the prover given) is refused (listed by
 * {@link #refused()}, never given an id), as is one whose answers stop opening ({@link #revoke}). Each engine that is
 * taken on or leaves is reported to the listener given, outside this directory's lock.
 */
final class EngineDirectory implements InitialMembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(EngineDirectory.class);

    private final String version;
    private final EngineListener changes;
    private final Map<UUID, Integer> ids = new LinkedHashMap<>();
    private final Map<Integer, Member> members = new LinkedHashMap<>();
    private final Map<Integer, EngineInfo> infos = new LinkedHashMap<>();
    private final Map<UUID, String> refusals = new LinkedHashMap<>();
    /** Members still proving the key, in join order, with their verdict once it is in (null: not yet). */
    private final Map<UUID, Verdict> proving = new LinkedHashMap<>();
    private final Set<Integer> insecure = new HashSet<>();
    private final Function<Member, CompletableFuture<String>> prover;
    private int nextId;
    /** Verdicts whose engines are being announced to the listener: a connect waits for them too. */
    private int announcing;

    /** The most slots an engine is believed to have, whatever it claims: the picker's sums stay far from overflow. */
    static final int MAX_SLOTS = 1024;

    /**
     * @param version the Greylab version engines must run to be taken on: this client's
     * @param changes hears each engine taken on and each one that leaves
     * @param prover  asks a member to prove the cluster key; completes with null when it did, or why it did not
     */
    EngineDirectory(String version, EngineListener changes, Function<Member, CompletableFuture<String>> prover) {
        this.version = version;
        this.changes = changes;
        this.prover = prover;
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
            if (proving.remove(event.getMember().getUuid()) != null) {
                notifyAll();
            }
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
        synchronized (this) {
            if (ids.containsKey(member.getUuid()) || refusals.containsKey(member.getUuid())
                    || proving.containsKey(member.getUuid())) {
                return;
            }
            String refusal = refusal(member);
            if (refusal != null) {
                refusals.put(member.getUuid(), refusal);
                LOG.warn("refused: {}", refusal);
                return;
            }
            proving.put(member.getUuid(), new Verdict(member));
        }
        // outside the lock: the answer may come back on another thread at once
        prover.apply(member).whenComplete((why, error) -> proved(member, error != null
                ? "the engine at " + address(member) + " did not answer the key challenge: " + error : why));
    }

    /** A member's proof, and once in, whether it passed ({@code refusal} null) or why not. */
    private static final class Verdict {
        final Member member;
        boolean decided;
        String refusal;

        Verdict(Member member) {
            this.member = member;
        }
    }

    /**
     * Records a member's verdict, then takes on or refuses every member at the head of the join order whose verdict
     * is in: ids stay in join order however the proofs come back.
     */
    private void proved(Member member, String refusal) {
        List<EngineInfo> joined = new ArrayList<>();
        synchronized (this) {
            Verdict verdict = proving.get(member.getUuid());
            if (verdict == null) {
                // it left meanwhile
                return;
            }
            verdict.decided = true;
            verdict.refusal = refusal;
            var head = proving.values().iterator();
            while (head.hasNext()) {
                Verdict next = head.next();
                if (!next.decided) {
                    break;
                }
                head.remove();
                if (next.refusal != null) {
                    refusals.put(next.member.getUuid(), next.refusal);
                    LOG.warn("refused: {}", next.refusal);
                } else {
                    joined.add(takeOn(next.member));
                }
            }
            announcing++;
            notifyAll();
        }
        try {
            joined.forEach(changes::engineJoined);
        } finally {
            synchronized (this) {
                announcing--;
                notifyAll();
            }
        }
    }

    private EngineInfo takeOn(Member member) {
        int id = nextId++;
        ids.put(member.getUuid(), id);
        members.put(id, member);
        EngineInfo info = info(id, member);
        infos.put(id, info);
        if ("true".equals(member.getAttribute(EngineAttributes.INSECURE))) {
            insecure.add(id);
        }
        return info;
    }

    /**
     * Takes engine {@code id} off: its answers do not open, or it refused this client's tasks. It is listed as
     * refused with {@code reason} and reported gone, so its tasks go to the others; it gets no more work.
     */
    void revoke(int id, String reason) {
        EngineInfo gone;
        synchronized (this) {
            Member member = members.remove(id);
            if (member == null) {
                return;
            }
            refusals.put(member.getUuid(), reason);
            gone = infos.remove(id);
            notifyAll();
        }
        LOG.warn("refused: {}", reason);
        changes.engineGone(gone);
    }

    /** Waits until every member seen so far has proved the key or failed to; says whether that happened in time. */
    synchronized boolean awaitProofs(Duration timeout) {
        return awaitUntil(() -> proving.isEmpty() && announcing == 0, timeout);
    }

    /** Whether engine {@code id} runs without a cluster key ({@code --insecure-no-key}). */
    synchronized boolean insecure(int id) {
        return insecure.contains(id);
    }

    private String refusal(Member member) {
        String address = address(member);
        String engineVersion = EngineText.name(member.getAttribute(EngineAttributes.VERSION));
        if (engineVersion == null) {
            return "the member at " + address + " is not a Greylab engine";
        }
        if (!engineVersion.equals(version)) {
            String name = EngineText.name(member.getAttribute(EngineAttributes.NAME));
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
        // and until they are announced: a listener added once this returns hears only engines that come later
        return awaitUntil(() -> infos.size() >= count && announcing == 0, timeout);
    }

    /** Waits on this directory until {@code done} holds (checked at each change); false on timeout or interrupt. */
    private synchronized boolean awaitUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
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
        String name = EngineText.name(member.getAttribute(EngineAttributes.NAME));
        return new EngineInfo(id, name == null || name.isBlank() ? address(member) : name, address(member),
                clamp(intAttribute(member, EngineAttributes.SLOTS)),
                clamp(intAttribute(member, EngineAttributes.CORES)),
                EngineText.name(member.getAttribute(EngineAttributes.VERSION)), decoders(member));
    }

    /** 1 to {@value #MAX_SLOTS}: a member's attributes are its own claim, and a huge one must not win every image. */
    static int clamp(int claimed) {
        return Math.max(1, Math.min(MAX_SLOTS, claimed));
    }

    /** The name a member gives itself, made safe to print. */
    static String name(Member member) {
        String name = EngineText.name(member.getAttribute(EngineAttributes.NAME));
        return name == null ? "?" : name;
    }

    /** An engine that does not say (an older build) decodes with the Java decoders and reads no HEIF. */
    private static Decoders decoders(Member member) {
        return Decoders.fromWords(member.getAttribute(EngineAttributes.JPEG),
                member.getAttribute(EngineAttributes.WEBP), member.getAttribute(EngineAttributes.HEIF));
    }

    static String address(Member member) {
        String host = member.getAddress().getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + member.getAddress().getPort();
    }

    private static int intAttribute(Member member, String key) {
        try {
            return Integer.parseInt(member.getAttribute(key));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
