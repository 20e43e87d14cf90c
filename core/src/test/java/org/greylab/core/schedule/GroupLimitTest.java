package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GroupLimitTest {

    /** A 160x120 JPEG thumbnail's size, and what one takes on one core once measured: about 1 ms. */
    private static final long THUMBNAIL = 7_400;
    private static final double THUMBNAIL_NANOS_PER_BYTE = 135;
    private static final long PLENTY_LEFT = 5_000 * THUMBNAIL;

    /** How many images of {@code bytes} a task under {@code limit} takes, adding them one by one as the run does. */
    private static int imagesPerTask(GroupLimit limit, long bytes) {
        int images = 1;
        long inTask = bytes;
        while (limit.accepts(images, inTask, bytes, bytes)) {
            images++;
            inTask += bytes;
        }
        return images;
    }

    private static GroupLimit auto(double nanosPerByte, long unsentBytes, int slots) {
        return GroupLimit.of(TaskGrouping.AUTO, nanosPerByte, 2.0, unsentBytes, slots, GroupLimit.MAX_BYTES);
    }

    @Test
    void autoFillsATaskWithThumbnailsUntilItHoldsTheTargetWork() {
        int images = imagesPerTask(auto(THUMBNAIL_NANOS_PER_BYTE, PLENTY_LEFT, 2), THUMBNAIL);

        // 30 ms at about 1 ms an image: the first image past the target closes the task
        double perImageNanos = THUMBNAIL_NANOS_PER_BYTE * THUMBNAIL;
        assertThat(images).isEqualTo((int) Math.ceil(GroupLimit.TARGET_NANOS / perImageNanos));
        assertThat((images - 1) * perImageNanos).isLessThan(GroupLimit.TARGET_NANOS);
        assertThat(images * perImageNanos).isGreaterThanOrEqualTo(GroupLimit.TARGET_NANOS);
    }

    @Test
    void beforeTheEngineIsMeasuredATaskStaysSmall() {
        int images = imagesPerTask(auto(-1, PLENTY_LEFT, 2), THUMBNAIL);

        assertThat(images).isLessThanOrEqualTo(GroupLimit.UNMEASURED_MAX_IMAGES).isGreaterThan(1);
    }

    @Test
    void aLargeImageTravelsAloneWhateverTheGrouping() {
        long photo = 2L << 20;
        assertThat(imagesPerTask(auto(THUMBNAIL_NANOS_PER_BYTE, PLENTY_LEFT, 2), photo)).isEqualTo(1);
        GroupLimit fixed = GroupLimit.of(TaskGrouping.fixed(50), 10, 2.0, PLENTY_LEFT, 2, GroupLimit.MAX_BYTES);
        assertThat(imagesPerTask(fixed, photo)).isEqualTo(1);
        // a thumbnail may not join a task that a large image opened, nor a large one a task of thumbnails
        assertThat(fixed.accepts(1, photo, photo, THUMBNAIL)).isFalse();
        assertThat(fixed.accepts(1, THUMBNAIL, THUMBNAIL, photo)).isFalse();
    }

    @Test
    void aPhotoThatIsAThirdOfATasksWorkByItselfTravelsAlone() {
        // 300 KB at 150 ns a byte: 45 ms, more than the target; 100 KB at 120 ns: 12 ms, a third of it
        assertThat(imagesPerTask(auto(150, 100 * PLENTY_LEFT, 2), 300_000)).isEqualTo(1);
        assertThat(imagesPerTask(auto(120, 100 * PLENTY_LEFT, 2), 100_000)).isEqualTo(1);
        // 50 KB at 120 ns: 6 ms, grouped
        assertThat(imagesPerTask(auto(120, 100 * PLENTY_LEFT, 2), 50_000)).isGreaterThan(1);
    }

    @Test
    void aTaskNeverExceedsItsByteBudgetCountingTheExpectedOutput() {
        long budget = 100_000;
        GroupLimit limit = GroupLimit.of(TaskGrouping.fixed(200), 1, 3.0, PLENTY_LEFT, 2, budget);

        int images = imagesPerTask(limit, 5_000);

        // each image costs its 5,000 input bytes and 15,000 expected output bytes
        assertThat(images).isEqualTo(5);
        assertThat(limit.bytesOf(images * 5_000L)).isLessThanOrEqualTo(budget);
        assertThat(limit.bytesOf((images + 1) * 5_000L)).isGreaterThan(budget);
    }

    @Test
    void tasksShrinkToSingleImagesAtTheEndOfTheBatch() {
        double perByte = THUMBNAIL_NANOS_PER_BYTE;
        int early = imagesPerTask(auto(perByte, PLENTY_LEFT, 2), THUMBNAIL);
        int nearTheEnd = imagesPerTask(auto(perByte, 40 * THUMBNAIL, 2), THUMBNAIL);
        int last = imagesPerTask(auto(perByte, 8 * THUMBNAIL, 2), THUMBNAIL);

        assertThat(nearTheEnd).isLessThan(early).isGreaterThan(1);
        assertThat(last).isEqualTo(1);
    }

    @Test
    void offSendsOneImageATaskAndFixedUpToN() {
        assertThat(imagesPerTask(GroupLimit.of(TaskGrouping.OFF, 10, 2.0, PLENTY_LEFT, 2, GroupLimit.MAX_BYTES),
                THUMBNAIL)).isEqualTo(1);
        // fixed ignores the work target and the tail: the user asked for N
        assertThat(imagesPerTask(GroupLimit.of(TaskGrouping.fixed(7), 10, 2.0, THUMBNAIL, 2, GroupLimit.MAX_BYTES),
                THUMBNAIL)).isEqualTo(7);
    }

    @Test
    void aTaskTakesAShareOfASmallWindowAndAtMostTheBudgetOfALargeOne() {
        assertThat(GroupLimit.maxTaskBytes(8L << 20, 4)).isEqualTo(1L << 20);
        assertThat(GroupLimit.maxTaskBytes(1L << 40, 4)).isEqualTo(GroupLimit.MAX_BYTES);
    }

    @Test
    void theWordsParseToTheirChoiceAndBack() {
        assertThat(TaskGrouping.parse("auto")).isEqualTo(TaskGrouping.AUTO);
        assertThat(TaskGrouping.parse("OFF")).isEqualTo(TaskGrouping.OFF);
        assertThat(TaskGrouping.parse("1")).isEqualTo(TaskGrouping.OFF);
        assertThat(TaskGrouping.parse("16").images()).isEqualTo(16);
        assertThat(TaskGrouping.parse("16").word()).isEqualTo("16");
        assertThatThrownBy(() -> TaskGrouping.parse("many")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, off or a number");
        assertThatThrownBy(() -> TaskGrouping.parse("0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskGrouping.parse("257")).isInstanceOf(IllegalArgumentException.class);
    }
}
