package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.images.EnrichmentSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered photos kept in memory stay within their count and their bytes. */
class CasePhotosCacheTest {
    @TempDir
    Path dir;

    CasePhotos.Shown listingOf(Path photo) {
        JsonNode entry = ReplayFolder.MAPPER.createObjectNode().put("imageId", "e1").put("listingUri", photo.toUri().toString());
        return new CasePhotos.Shown("CATALOG_IMAGE_MATCH", entry);
    }

    Path photo(String name, int width) throws Exception {
        Path file = dir.resolve(name);
        BufferedImage image = new BufferedImage(width, width / 2, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < width / 2; y++) {
                image.setRGB(x, y, (x * 7919 + y * 104729) & 0xFFFFFF);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void atMostTheConfiguredCountAndBytesAreKept() throws Exception {
        EnrichmentSettings rules = EnrichmentSettings.defaults().withFileRoot(dir);
        try (CasePhotos photos = new CasePhotos(rules, Clock.systemUTC(), 2, 10L * 1024 * 1024)) {
            for (int i = 0; i < 4; i++) {
                assertThat(photos.photo(listingOf(photo("p" + i + ".png", 200)), CasePhotos.Kind.LISTING).status())
                        .isEqualTo(CasePhotos.Status.SHOWN);
            }
            assertThat(photos.cachedCount()).isEqualTo(2);
        }
        try (CasePhotos photos = new CasePhotos(rules, Clock.systemUTC(), 100, 300_000)) {
            long largest = 0;
            for (int i = 0; i < 4; i++) {
                CasePhotos.Rendered rendered = photos.photo(listingOf(photo("q" + i + ".png", 400)), CasePhotos.Kind.LISTING);
                assertThat(rendered.status()).isEqualTo(CasePhotos.Status.SHOWN);
                largest = Math.max(largest, rendered.png().length);
            }
            assertThat(largest).as("each rendered photo").isGreaterThan(100_000);
            assertThat(photos.cachedBytes()).isLessThanOrEqualTo(300_000);
            assertThat(photos.cachedCount()).isBetween(1, 2);
        }
    }
}
