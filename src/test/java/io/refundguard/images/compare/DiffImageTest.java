package io.refundguard.images.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.LocalFeatures;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The picture as a person sees it: rendered, written as PNG, read back from the file, and the
 * outline colour looked for where the test painted damage.
 */
class DiffImageTest {
    private static final Path OUT = Path.of("target", "diff-images");
    private final CopyDetector detector = new CopyDetector();

    @Test
    void outlinesATearOnTheListingAndOnTheEvidence() throws IOException {
        Rendered r = render("photos/coffee.png", List.of(DoctoredCopies.Edit.TEAR), 0.6, 3, "tear.png");
        assertThat(r.comparison.copy()).isTrue();
        Rectangle damage = r.copy.damage().get(0);
        Rectangle onListing = scaled(damage, r.listingScale, 0);
        // Outline pixels above, below, left and right of the tear's centre, close to it.
        Rectangle near = grow(onListing, r.cellOnListing);
        int cx = (int) onListing.getCenterX();
        int cy = (int) onListing.getCenterY();
        assertThat(outlineIn(r.image, new Rectangle(near.x, cy - 2, cx - near.x, 5))).as("left of the tear").isPositive();
        assertThat(outlineIn(r.image, new Rectangle(cx, cy - 2, near.x + near.width - cx, 5))).as("right").isPositive();
        assertThat(outlineIn(r.image, new Rectangle(cx - 2, near.y, 5, cy - near.y))).as("above").isPositive();
        assertThat(outlineIn(r.image, new Rectangle(cx - 2, cy, 5, near.y + near.height - cy))).as("below").isPositive();
        // And nowhere else on the listing half.
        assertThat(outlineOutside(r.image, new Rectangle(0, 0, r.listingWidth, r.height), near)).isZero();
        // On the evidence half, around where the tear is in the evidence (here the same place).
        Rectangle onEvidence = scaled(damage, r.evidenceScale, r.evidenceLeft);
        assertThat(outlineIn(r.image, grow(onEvidence, r.cellOnListing))).isPositive();
        assertThat(outlineOutside(r.image, new Rectangle(r.evidenceLeft, 0, r.image.getWidth() - r.evidenceLeft, r.height),
                grow(onEvidence, r.cellOnListing))).isZero();
    }

    @Test
    void outlinesACrackOnlyAroundTheCrack() throws IOException {
        Rendered r = render("photos/astronaut.png", List.of(DoctoredCopies.Edit.CRACK), 1.0, 2, "crack.png");
        assertThat(r.comparison.copy()).isTrue();
        Rectangle near = grow(scaled(r.copy.damage().get(0), r.listingScale, 0), r.cellOnListing);
        assertThat(outlineIn(r.image, near)).isPositive();
        assertThat(outlineOutside(r.image, new Rectangle(0, 0, r.listingWidth, r.height), near)).isZero();
    }

    @Test
    void mapsRegionsIntoAScreenshot() throws IOException {
        Rendered r = render("photos/astronaut.png", List.of(DoctoredCopies.Edit.STAIN, DoctoredCopies.Edit.SCREENSHOT), 0.8, 4,
                "screenshot-stain.png");
        assertThat(r.comparison.copy()).isTrue();
        assertThat(r.comparison.kinds()).contains(ChangeKind.FRAMED, ChangeKind.CONTENT_ADDED);
        // Where the stain is in the screenshot, through the true geometry of the copy.
        Rectangle damage = r.copy.damage().get(0);
        Rectangle inShot = r.copy.listingToEvidence().createTransformedShape(damage).getBounds();
        Rectangle onEvidence = scaled(inShot, r.evidenceScale, r.evidenceLeft);
        int margin = (int) Math.ceil(r.cellOnListing * r.evidenceScale / r.listingScale * r.comparison.transform().scale()) + 4;
        assertThat(outlineIn(r.image, grow(onEvidence, margin))).isPositive();
        assertThat(outlineOutside(r.image, new Rectangle(r.evidenceLeft, 0, r.image.getWidth() - r.evidenceLeft, r.height),
                grow(onEvidence, margin))).isZero();
    }

    @Test
    void drawsNoOutlineWhenItIsNotACopy() throws IOException {
        BufferedImage listing = RealPhotos.load(RealPhotos.MOTORCYCLE_LEFT);
        BufferedImage evidence = RealPhotos.load(RealPhotos.MOTORCYCLE_RIGHT);
        Comparison c = detector.compare(FeatureExtractor.extract(listing), FeatureExtractor.extract(evidence));
        assertThat(c.copy()).isFalse();
        BufferedImage image = writeAndRead(DiffImage.render(listing, evidence, c), "honest.png");
        assertThat(outlineIn(image, new Rectangle(0, 0, image.getWidth(), image.getHeight()))).isZero();
        assertThat(DiffImage.caption(c).get(0)).startsWith("NOT A COPY");
    }

    private record Rendered(DoctoredCopies.Copy copy, Comparison comparison, BufferedImage image, double listingScale,
            double evidenceScale, int listingWidth, int evidenceLeft, int height, int cellOnListing) {}

    private Rendered render(String photo, List<DoctoredCopies.Edit> edits, double strength, long seed, String file)
            throws IOException {
        BufferedImage listing = RealPhotos.load(photo);
        DoctoredCopies.Copy copy = DoctoredCopies.make(listing, edits, strength, seed);
        LocalFeatures listingFeatures = FeatureExtractor.extract(listing);
        Comparison c = detector.compare(listingFeatures, FeatureExtractor.extract(copy.image()));
        BufferedImage image = writeAndRead(DiffImage.render(listing, copy.image(), c), file);
        int height = Math.min(DiffImage.MAX_HEIGHT, Math.max(listing.getHeight(), copy.image().getHeight()));
        double ls = (double) height / listing.getHeight();
        double es = (double) height / copy.image().getHeight();
        int lw = (int) Math.round(listing.getWidth() * ls);
        // A changed region is whole thumbnail cells: up to one cell beyond the damage.
        int cell = (int) Math.ceil(DenseVerifier.CELL * (double) listing.getWidth() / listingFeatures.thumbnailWidth() * ls) + 2;
        return new Rendered(copy, c, image, ls, es, lw, lw + DiffImage.GAP, height, cell);
    }

    private static BufferedImage writeAndRead(BufferedImage image, String file) throws IOException {
        Files.createDirectories(OUT);
        Path path = OUT.resolve(file);
        ImageIO.write(image, "png", path.toFile());
        return ImageIO.read(path.toFile());
    }

    private static int outlineIn(BufferedImage image, Rectangle area) {
        Rectangle r = area.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                n += (image.getRGB(x, y) & 0xffffff) == (DiffImage.CHANGE_COLOUR.getRGB() & 0xffffff) ? 1 : 0;
            }
        }
        return n;
    }

    private static int outlineOutside(BufferedImage image, Rectangle half, Rectangle allowed) {
        Rectangle r = half.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if (!allowed.contains(x, y) && (image.getRGB(x, y) & 0xffffff) == (DiffImage.CHANGE_COLOUR.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Rectangle scaled(Rectangle r, double scale, int left) {
        return new Rectangle(left + (int) Math.floor(r.x * scale), (int) Math.floor(r.y * scale),
                (int) Math.ceil(r.width * scale) + 1, (int) Math.ceil(r.height * scale) + 1);
    }

    private static Rectangle grow(Rectangle r, int by) {
        return new Rectangle(r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by);
    }
}
