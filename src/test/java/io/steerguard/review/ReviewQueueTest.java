package io.steerguard.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.steerguard.classifier.Verdict;

class ReviewQueueTest {

    private long seq;

    private ReviewItem item(String tenant, double informativeness) {
        seq++;
        return new ReviewItem(String.format("rv_%020x", seq), seq, Instant.EPOCH, tenant, "p", ReviewSide.STEERED,
                "r" + seq, "prompt", "answer", false, Verdict.compliance(0.45, "learned"), List.of(),
                Set.of(ReviewReason.NEAR_THRESHOLD), informativeness);
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        ReviewQueue q = new ReviewQueue(10);
        for (int i = 0; i < 100; i++) {
            q.offer(item("a", (i % 7) / 7.0));
        }
        assertThat(q.size()).isEqualTo(10);
    }

    @Test
    void aFloodingTenant_displacesOnlyItsOwnItems() {
        ReviewQueue q = new ReviewQueue(10);
        List<ReviewItem> quiet = List.of(item("quiet", 0.1), item("quiet", 0.1), item("quiet", 0.1));
        quiet.forEach(q::offer);
        for (int i = 0; i < 1000; i++) {
            q.offer(item("loud", 2.0)); // more informative than anything the quiet tenant has
        }
        assertThat(q.size("quiet")).isEqualTo(3);
        assertThat(q.size("loud")).isEqualTo(7);
        quiet.forEach(i -> assertThat(q.get(i.id())).isPresent());
    }

    @Test
    void whenFull_theLeastInformativeLeaves_andTheOldestAmongEquals() {
        ReviewQueue q = new ReviewQueue(3);
        ReviewItem old = item("a", 1.0);
        ReviewItem weak = item("a", 0.2);
        ReviewItem young = item("a", 1.0);
        List.of(old, weak, young).forEach(q::offer);
        assertThat(q.offer(item("a", 1.5))).isEqualTo(ReviewQueue.Offer.QUEUED_EVICTING);
        assertThat(q.get(weak.id())).isEmpty();
        assertThat(q.offer(item("a", 1.0))).isEqualTo(ReviewQueue.Offer.QUEUED_EVICTING);
        assertThat(q.get(old.id())).as("the oldest of equals leaves").isEmpty();
        assertThat(q.get(young.id())).isPresent();
        assertThat(q.offer(item("a", 0.1))).as("less informative than all it could displace").isEqualTo(ReviewQueue.Offer.REJECTED);
    }

    @Test
    void offer_neverWaits_forAReaderHoldingTheQueue() throws Exception {
        ReviewQueue q = new ReviewQueue(10);
        q.offer(item("a", 1));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            reader.submit(() -> q.page(0, 10, i -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }));
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            assertThat(q.offer(item("a", 1))).isEqualTo(ReviewQueue.Offer.BUSY);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        } finally {
            release.countDown();
            reader.shutdown();
        }
    }

    @Test
    void pages_followArrivalOrder() {
        ReviewQueue q = new ReviewQueue(10);
        for (int i = 0; i < 5; i++) {
            q.offer(item("a", 1));
        }
        ReviewQueue.Page first = q.page(0, 2, i -> true);
        ReviewQueue.Page second = q.page(first.next(), 2, i -> true);
        ReviewQueue.Page last = q.page(second.next(), 2, i -> true);
        assertThat(first.items()).extracting(ReviewItem::seq).containsExactly(1L, 2L);
        assertThat(second.items()).extracting(ReviewItem::seq).containsExactly(3L, 4L);
        assertThat(last.items()).extracting(ReviewItem::seq).containsExactly(5L);
        assertThat(last.next()).isEqualTo(-1);
    }
}
