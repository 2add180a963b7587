package io.steerguard.runtime.embedded;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StopMatcherTest {

    @Test
    void stopStringSplitAcrossDeltas_isHeldBack_andNeverEmitted() {
        StopMatcher m = new StopMatcher(List.of("</end>"));
        assertThat(m.push("Hello </")).isEqualTo(new StopMatcher.Result("Hello ", false));
        assertThat(m.push("en")).isEqualTo(new StopMatcher.Result("", false));
        assertThat(m.push("d> trailing")).isEqualTo(new StopMatcher.Result("", true));
        assertThat(m.push("more")).isEqualTo(new StopMatcher.Result("", true));
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void heldPrefixThatDoesNotContinueTheStop_isReleasedOnTheNextDelta() {
        StopMatcher m = new StopMatcher(List.of("STOP"));
        assertThat(m.push("a ST")).isEqualTo(new StopMatcher.Result("a ", false));
        assertThat(m.push("ART")).isEqualTo(new StopMatcher.Result("START", false));
    }

    @Test
    void overlappingPrefixes_findTheStopThatStartsInsideAHeldPrefix() {
        // "aab": after "aa" the first 'a' cannot start "aab" any more, the second can.
        StopMatcher m = new StopMatcher(List.of("aab"));
        assertThat(m.push("xa")).isEqualTo(new StopMatcher.Result("x", false));
        assertThat(m.push("a")).isEqualTo(new StopMatcher.Result("", false));
        assertThat(m.push("a")).isEqualTo(new StopMatcher.Result("a", false));
        assertThat(m.push("b!")).isEqualTo(new StopMatcher.Result("", true));
    }

    @Test
    void multipleStops_theEarliestStartingCompleteMatchWins() {
        StopMatcher m = new StopMatcher(List.of("world", "o w"));
        assertThat(m.push("hello world")).isEqualTo(new StopMatcher.Result("hell", true));
        StopMatcher other = new StopMatcher(List.of("\n\n", "User:"));
        assertThat(other.push("Answer.\nUse")).isEqualTo(new StopMatcher.Result("Answer.\n", false));
        assertThat(other.push("r: hi")).isEqualTo(new StopMatcher.Result("", true));
        StopMatcher both = new StopMatcher(List.of("bcd", "abcz", "cd"));
        assertThat(both.push("xab")).isEqualTo(new StopMatcher.Result("x", false));
        assertThat(both.push("cd")).isEqualTo(new StopMatcher.Result("a", true));
    }

    @Test
    void flush_releasesTextThatOnlyLookedLikeAStopStart() {
        StopMatcher m = new StopMatcher(List.of("###"));
        assertThat(m.push("title ##")).isEqualTo(new StopMatcher.Result("title ", false));
        assertThat(m.flush()).isEqualTo("##");
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void withoutStops_everythingPassesStraightThrough() {
        StopMatcher m = new StopMatcher(List.of());
        assertThat(m.push("any text")).isEqualTo(new StopMatcher.Result("any text", false));
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void stopMatchingAtTheVeryStart_emitsNothing() {
        StopMatcher m = new StopMatcher(List.of("😀"));
        assertThat(m.push("😀 after")).isEqualTo(new StopMatcher.Result("", true));
    }

    @Test
    void emptyStopStrings_areRejected() {
        assertThatThrownBy(() -> new StopMatcher(List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }
}
