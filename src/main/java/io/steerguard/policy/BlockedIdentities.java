package io.steerguard.policy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blocks of every identity a profile has served, current or not: a block belongs to what was
 * served (profile + identity), so replacing the vectors does not lift it, and bringing the blocked
 * identity back brings the block back. Derived from transitions alone, the same way wherever they
 * are replayed (file, snapshot, Redis, another replica):
 * <ul>
 *   <li>a move to BLOCKED records the block of that identity;</li>
 *   <li>a move out of BLOCKED that keeps the identity (an operator's unblock, auto recovery) lifts it;</li>
 *   <li>a move out of BLOCKED that changes the identity leaves the old identity's block recorded.</li>
 * </ul>
 * The wildcard identity {@value #ANY} (a block set by state recovery, see
 * {@link StateStore}) is never recorded: it stands for "whatever is configured next". Not thread-safe.
 */
public final class BlockedIdentities {

    /** Identity of a block that applies to whatever identity the profile is configured with. */
    public static final String ANY = "*";

    private final Map<String, Map<String, ProfileStatus>> blocks = new LinkedHashMap<>();

    public BlockedIdentities() {
    }

    public BlockedIdentities(Collection<ProfileStatus> blocked) {
        blocked.forEach(this::put);
    }

    /** Takes one transition into account; {@code before} is the profile's status before it, or null. */
    public void apply(ProfileStatus before, Transition t) {
        if (t.to() == ProfileState.BLOCKED) {
            put(ProfileStatus.after(t));
        } else if (before != null && before.state() == ProfileState.BLOCKED
                && before.fingerprint().equals(t.fingerprint())) {
            Map<String, ProfileStatus> ofProfile = blocks.get(t.profile());
            if (ofProfile != null) {
                ofProfile.remove(t.fingerprint());
                if (ofProfile.isEmpty()) {
                    blocks.remove(t.profile());
                }
            }
        }
    }

    /** The block of {@code identity} of {@code profile}, if it is blocked. */
    public Optional<ProfileStatus> find(String profile, String identity) {
        return Optional.ofNullable(blocks.getOrDefault(profile, Map.of()).get(identity));
    }

    /**
     * A block of {@code identity} recorded under any profile name, the oldest first: the same
     * vectors on the same runtime, renamed or copied, are the same steering and share its block.
     */
    public Optional<ProfileStatus> findAnyProfile(String identity) {
        return blocks.values().stream().map(m -> m.get(identity)).filter(java.util.Objects::nonNull)
                .min(java.util.Comparator.comparing(ProfileStatus::since));
    }

    /** Every recorded block, by profile then identity. */
    public List<ProfileStatus> all() {
        return blocks.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    /** Records a block (a BLOCKED status of some identity); other statuses are ignored. */
    public void put(ProfileStatus s) {
        if (s.state() == ProfileState.BLOCKED && !ANY.equals(s.fingerprint())) {
            blocks.computeIfAbsent(s.profile(), p -> new LinkedHashMap<>()).put(s.fingerprint(), s);
        }
    }
}
