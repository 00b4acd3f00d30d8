package io.refundguard.images.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.events.InvalidLocalFeaturesException;
import io.refundguard.events.LocalFeatures;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalFeaturesTest {
    private static BufferedImage photo;
    private static LocalFeatures features;

    @BeforeAll
    static void extract() {
        photo = RealPhotos.load("photos/coffee.png");
        features = FeatureExtractor.extract(photo);
    }

    @Test
    void describesThePhoto() {
        assertThat(features.version()).isEqualTo(1);
        assertThat(features.width()).isEqualTo(600);
        assertThat(features.height()).isEqualTo(400);
        assertThat(features.keypointCount()).isBetween(200, LocalFeatures.MAX_KEYPOINTS);
        assertThat(features.keypoints()).hasSize(features.keypointCount() * LocalFeatures.KEYPOINT_BYTES);
        // 600x400 at 4,096 pixels: t = sqrt(4096 / 240000) -> 78 x 52.
        assertThat(features.thumbnailWidth()).isEqualTo(78);
        assertThat(features.thumbnailHeight()).isEqualTo(52);
        assertThat(features.thumbnail()).hasSize(78 * 52);
    }

    @Test
    void isDeterministic() {
        LocalFeatures again = FeatureExtractor.extract(photo);
        assertThat(again).isEqualTo(features).hasSameHashCodeAs(features);
        assertThat(again.keypoints()).isEqualTo(features.keypoints());
    }

    @Test
    void survivesTheWire() {
        LocalFeatures decoded = LocalFeatures.of(features.version(), features.width(), features.height(), features.keypoints(),
                features.thumbnailWidth(), features.thumbnailHeight(), features.thumbnail());
        assertThat(decoded).isEqualTo(features);
        assertThat(new CopyDetector().compare(decoded, features)).isEqualTo(new CopyDetector().compare(features, features));
    }

    @Test
    void doesNotShareItsArrays() {
        byte[] keypoints = features.keypoints();
        keypoints[0] ^= (byte) 0xff;
        byte[] thumbnail = features.thumbnail();
        thumbnail[0] ^= (byte) 0xff;
        assertThat(features.keypoints()[0]).isNotEqualTo(keypoints[0]);
        assertThat(features.thumbnail()[0]).isNotEqualTo(thumbnail[0]);
    }

    @Test
    void staysWithinTheBudget() {
        for (String name : RealPhotos.LISTINGS) {
            assertThat(FeatureExtractor.extract(RealPhotos.load(name)).sizeInBytes()).as(name).isLessThanOrEqualTo(10_240);
        }
        BufferedImage screenshot = DoctoredCopies.make(photo, DoctoredCopies.Edit.SCREENSHOT, 1.0, 1).image();
        assertThat(FeatureExtractor.extract(screenshot).sizeInBytes()).isLessThanOrEqualTo(10_240);
    }

    @Test
    void everyThumbnailAReaderAcceptsFitsTheWireLimit() {
        int largest = 0;
        for (int width = 1; width <= 4_000; width += 7) {
            for (int height = 1; height <= 4_000; height += 11) {
                int[] side = LocalFeatures.thumbnailSize(width, height);
                int w = Math.min(LocalFeatures.MAX_THUMBNAIL_SIDE, side[0] + 1);
                int h = Math.min(LocalFeatures.MAX_THUMBNAIL_SIDE, side[1] + 1);
                largest = Math.max(largest, w * h);
            }
        }
        assertThat(largest).isGreaterThan(LocalFeatures.MAX_THUMBNAIL_AREA).isLessThanOrEqualTo(LocalFeatures.MAX_THUMBNAIL_BYTES);
    }

    @Test
    void copesWithTinyAndFlatPhotos() {
        LocalFeatures tiny = FeatureExtractor.extract(RealPhotos.load("pdq/images/misc-images/wee.jpg"));
        assertThat(tiny.width()).isEqualTo(34);
        assertThat(tiny.thumbnailWidth()).isEqualTo(34);
        assertThat(tiny.thumbnailHeight()).isEqualTo(42);
        BufferedImage flat = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        LocalFeatures nothing = FeatureExtractor.extract(flat);
        assertThat(nothing.keypointCount()).isZero();
        assertThat(new CopyDetector().compare(features, nothing).copy()).isFalse();
        assertThat(new CopyDetector().compare(features, nothing).reason()).contains("too few keypoints");
    }

    /**
     * The mirror-symmetric pattern: features of the flipped photo are those of the photo with x
     * reflected, the angle reflected and each pair of bits swapped. Measured: 214 of 256
     * keypoints come out bit for bit; the rest differ where the corner selection breaks a tie the
     * other way or an orientation sits on a rounding boundary.
     */
    @Test
    void aMirroredPhotoHasMirroredDescriptors() {
        LocalFeatures flipped = FeatureExtractor.extract(DoctoredCopies.mirror(photo));
        Keypoints original = FeatureLayout.read(features);
        Keypoints expected = original.mirrored(photo.getWidth());
        Keypoints actual = FeatureLayout.read(flipped);
        int same = 0;
        for (int i = 0; i < actual.count(); i++) {
            for (int j = 0; j < expected.count(); j++) {
                if (Math.abs(actual.x()[i] - expected.x()[j]) < 0.1 && Math.abs(actual.y()[i] - expected.y()[j]) < 0.1
                        && actual.size()[i] == expected.size()[j] && actual.distance(i, expected, j) == 0) {
                    same++;
                    break;
                }
            }
        }
        assertThat(same).isGreaterThanOrEqualTo(actual.count() * 3 / 4);
    }

    @Test
    void thePatternIsReproducibleAndPairedByMirror() {
        assertThat(MirrorPattern.generate()).isEqualTo(MirrorPattern.POINTS);
        int[] p = MirrorPattern.POINTS;
        assertThat(p).hasSize(4 * MirrorPattern.PAIRS);
        for (int i = 0; i < MirrorPattern.PAIRS; i++) {
            int a1 = p[4 * i];
            int b1 = p[4 * i + 1];
            int a2 = p[4 * i + 2];
            int b2 = p[4 * i + 3];
            assertThat(a1 * a1 + b1 * b1).isLessThanOrEqualTo(MirrorPattern.RADIUS * MirrorPattern.RADIUS);
            assertThat(a2 * a2 + b2 * b2).isLessThanOrEqualTo(MirrorPattern.RADIUS * MirrorPattern.RADIUS);
            assertThat(b1 == 0 && b2 == 0).as("pair %d on the axis", i).isFalse();
            assertThat(a1 == a2 && b1 == -b2).as("pair %d its own mirror", i).isFalse();
        }
        // The documented generator's first and last pairs, so another implementation can check itself.
        assertThat(Arrays.copyOfRange(p, 0, 4)).containsExactly(-8, -5, 9, 5);
        assertThat(Arrays.copyOfRange(p, p.length - 4, p.length)).containsExactly(-7, 6, 5, -12);
        long bits = 0x0123_4567_89AB_CDEFL;
        assertThat(MirrorPattern.mirror(MirrorPattern.mirror(bits))).isEqualTo(bits);
        assertThat(MirrorPattern.mirror(0b01L)).isEqualTo(0b10L);
    }

    // --- validation of untrusted input ---

    @Test
    void rejectsAnotherVersion() {
        assertRejected(2, 600, 400, features.keypoints(), 78, 52, features.thumbnail(), "version", "expected 1, got 2");
    }

    @Test
    void rejectsSidesOutOfRange() {
        assertRejected(1, 0, 400, new byte[0], 78, 52, features.thumbnail(), "width", "expected 1-65535, got 0");
        assertRejected(1, 600, 70_000, new byte[0], 78, 52, features.thumbnail(), "height", "expected 1-65535, got 70000");
    }

    @Test
    void rejectsAKeypointBlobThatIsNotWholeRecords() {
        byte[] blob = Arrays.copyOf(features.keypoints(), 2 * LocalFeatures.KEYPOINT_BYTES - 1);
        assertRejected(1, 600, 400, blob, 78, 52, features.thumbnail(), "keypoints", "expected a multiple of 23 bytes, got 45");
        assertRejected(1, 600, 400, null, 78, 52, features.thumbnail(), "keypoints", "missing");
    }

    @Test
    void rejectsTooManyKeypoints() {
        byte[] blob = new byte[(LocalFeatures.MAX_KEYPOINTS + 1) * LocalFeatures.KEYPOINT_BYTES];
        assertRejected(1, 600, 400, blob, 78, 52, features.thumbnail(), "keypoints", "expected at most 256 keypoints, got 257");
    }

    @Test
    void rejectsKeypointsOutsideThePhoto() {
        byte[] blob = features.keypoints();
        blob[LocalFeatures.KEYPOINT_BYTES] = (byte) (600 >>> 8);
        blob[LocalFeatures.KEYPOINT_BYTES + 1] = (byte) 600;
        assertRejected(1, 600, 400, blob, 78, 52, features.thumbnail(), "keypoints", "keypoint 1 has x 600, outside width 600");
        byte[] low = features.keypoints();
        low[2] = (byte) 0xff;
        low[3] = (byte) 0xff;
        assertRejected(1, 600, 400, low, 78, 52, features.thumbnail(), "keypoints", "keypoint 0 has y 65535, outside height 400");
    }

    @Test
    void rejectsABadThumbnail() {
        assertRejected(1, 600, 400, features.keypoints(), 97, 52, new byte[97 * 52], "thumbnailWidth", "expected 1-96, got 97");
        assertRejected(1, 600, 400, features.keypoints(), 60, 52, new byte[60 * 52], "thumbnailWidth",
                "expected 78 for this photo size, got 60");
        assertRejected(1, 600, 400, features.keypoints(), 78, 0, new byte[0], "thumbnailHeight", "expected 1-96, got 0");
        assertRejected(1, 600, 400, features.keypoints(), 78, 52, new byte[78 * 52 - 1], "thumbnail",
                "expected 78 x 52 = 4056 bytes, got 4055");
        assertRejected(1, 600, 400, features.keypoints(), 78, 52, null, "thumbnail", "missing");
    }

    private static void assertRejected(int version, int width, int height, byte[] keypoints, int thumbWidth, int thumbHeight,
            byte[] thumbnail, String field, String message) {
        assertThatThrownBy(() -> LocalFeatures.of(version, width, height, keypoints, thumbWidth, thumbHeight, thumbnail))
                .isInstanceOfSatisfying(InvalidLocalFeaturesException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isEqualTo(message);
                    assertThat(e.getMessage()).isEqualTo(field + ": " + message);
                });
    }
}
