package io.kubenexus.scheduler.gang.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPolicy;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.core.testing.QuietMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gang manager's books, without a loop: membership, pending and bound, minimum, summed demand, waits. */
class GangMembersTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final List<String> waits = new ArrayList<>();
    private final GangMembers members = new GangMembers(clock, new QuietMetrics() {
        @Override
        public void groupWaited(String result, long nanos) {
            waits.add(result + " " + Duration.ofNanos(nanos).toSeconds() + "s");
        }
    });

    private static PodKey key(String name) {
        return new PodKey("ml", name);
    }

    private static ResourceList cpu(long milli) {
        return ResourceList.of(Map.of("cpu", milli, "memory", 1L << 30));
    }

    private void pending(String name, int min, long cpuMilli) {
        members.track(key(name), GroupMembership.of("ml/train", min));
        members.move("ml/train", key(name), false, cpu(cpuMilli));
    }

    @Test
    void summedDemandFollowsMembersAsTheyComeBindAndGo() {
        pending("w-0", 3, 1000);
        pending("w-1", 3, 2000);
        pending("w-1", 3, 2000); // the same pod seen again is not counted twice
        assertThat(members.pendingDemand("ml/train")).isEqualTo(ResourceList.of(Map.of("cpu", 3000L, "memory", 2L << 30)));

        members.move("ml/train", key("w-0"), true, null);
        assertThat(members.pendingDemand("ml/train")).isEqualTo(cpu(2000));

        members.untrack(key("w-1"));
        assertThat(members.pendingDemand("ml/train")).isEqualTo(ResourceList.EMPTY);
        assertThat(members.bound("ml/train")).containsExactly(key("w-0"));
    }

    @Test
    void demandOfAThousandCopiesIsKeptWithoutSummingThemAgain() {
        for (int i = 0; i < 1024; i++) {
            pending("w-" + i, 1024, 500);
        }
        assertThat(members.pendingDemand("ml/train").get("cpu")).isEqualTo(512_000);
        assertThat(members.pending("ml/train")).hasSize(1024);
    }

    @Test
    void minimumIsTheLargestOfThePodGroupAndEveryMember() {
        pending("w-0", 2, 1000);
        pending("w-1", 4, 1000);
        assertThat(members.minimum("ml/train")).isEqualTo(4);
        members.policy("ml/train", new GroupPolicy("ml/train", 6, ResourceList.EMPTY, null, "PodGroup ml/train"));
        assertThat(members.minimum("ml/train")).isEqualTo(6);
        assertThat(members.minimum(GroupMembership.of("ml/train", 8))).isEqualTo(8);
        members.policy("ml/train", null);
        assertThat(members.minimum("ml/train")).isEqualTo(4);
    }

    @Test
    void waitTimesAreReportedWhenTheGroupIsPlacedOrAbandoned() {
        pending("w-0", 2, 1000);
        clock.advance(Duration.ofSeconds(7));
        members.move("ml/train", key("w-0"), true, null);
        assertThat(waits).containsExactly("placed 7s");

        pending("x-0", 2, 1000);
        members.leave("ml/train", key("w-0"));
        clock.advance(Duration.ofSeconds(3));
        members.untrack(key("x-0"));
        assertThat(waits).containsExactly("placed 7s", "abandoned 3s");
        assertThat(members.waitingGroups()).isZero();
    }

    @Test
    void aMemberThatChangesGroupLeavesTheOldOne() {
        pending("w-0", 2, 1000);
        members.track(key("w-0"), GroupMembership.of("ml/other", 2));
        assertThat(members.pending("ml/train")).isEmpty();
        assertThat(members.pendingDemand("ml/train")).isEqualTo(ResourceList.EMPTY);
    }

    /** Review: a pending member that leaves a group with bound members must not leave its wait start behind. */
    @Test
    void aGroupsWaitEndsWhenItsLastPendingMemberLeavesBesideBoundOnes() {
        members.track(key("w-0"), GroupMembership.of("ml/train", 2));
        members.move("ml/train", key("w-0"), true, null);
        pending("w-1", 2, 1000);
        members.untrack(key("w-1"));
        members.untrack(key("w-0"));
        assertThat(members.waiting()).as("no member left, nothing waits").isEmpty();
    }

    /** Review: a pending member seen again with other requests is counted with its new requests. */
    @Test
    void aPendingMemberSeenAgainWithOtherRequestsIsRecounted() {
        pending("w-0", 2, 1000);
        pending("w-0", 2, 8000);
        assertThat(members.pendingDemand("ml/train")).isEqualTo(cpu(8000));
    }
}
