package io.refundguard.images.compare;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The real photographs of {@code src/test/resources/photos/} (scikit-image sample data, see
 * its ATTRIBUTION.md) and natural photos of the PDQ reference set.
 */
final class RealPhotos {
    /** Photos a merchant could list; their doctored copies must be caught. */
    static final List<String> LISTINGS = List.of("photos/astronaut.png", "photos/camera.png", "photos/chelsea.png",
            "photos/coffee.png", "photos/coins.png", "photos/hubble_deep_field.jpg", "photos/motorcycle_left.png",
            "photos/motorcycle_right.png", "photos/rocket.jpg", "pdq/images/dih/bridge-1-original.jpg",
            "pdq/images/labelme-subset/q0291.jpg", "pdq/images/pen-and-coaster.png");
    /** Close-ups of repetitive texture: honest photos that must match nothing. */
    static final List<String> TEXTURES = List.of("photos/brick.png", "photos/gravel.png", "photos/grass.png");
    /** Two viewpoints of one motorcycle: the honest "another photo of the same product". */
    static final String MOTORCYCLE_LEFT = "photos/motorcycle_left.png";
    static final String MOTORCYCLE_RIGHT = "photos/motorcycle_right.png";

    private static final Map<String, BufferedImage> CACHE = new LinkedHashMap<>();

    private RealPhotos() {}

    static synchronized BufferedImage load(String resource) {
        return CACHE.computeIfAbsent(resource, RealPhotos::read);
    }

    static String name(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        return file.substring(0, file.lastIndexOf('.'));
    }

    private static BufferedImage read(String resource) {
        try (InputStream in = RealPhotos.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test photo " + resource);
            }
            return Pictures.rgb(ImageIO.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
