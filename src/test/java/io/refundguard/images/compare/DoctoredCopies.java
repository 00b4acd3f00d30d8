package io.refundguard.images.compare;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Test fixture: copies of a listing photo doctored the way refund fraudsters do, one edit kind
 * or any two, with a strength (0-1) and a seed. The frame is changed first (mirror, rotate,
 * crop), then damage is painted on what is left (so a stain "over a quarter of the photo" covers
 * a quarter of the evidence, not a quarter of a listing that was then cropped away), then it is
 * screenshotted, then resized and re-encoded.
 */
final class DoctoredCopies {
    enum Edit {
        MIRROR(0), ROTATE(0), CROP(0),
        CRACK(1), STAIN(1), TEAR(1), GENERATIVE_FILL(1),
        SCREENSHOT(2),
        RESIZE(3), REENCODE(4);

        final int stage;

        Edit(int stage) {
            this.stage = stage;
        }

        boolean paintsContent() {
            return stage == 1;
        }
    }

    /**
     * @param image the evidence photo
     * @param edits what was done, in order
     * @param strength how hard (0-1)
     * @param seed the seed
     * @param damage boxes of painted content, in listing pixels (empty for frame-only edits); for a
     *     rotated copy, the listing-aligned box around the painted box
     * @param visible share of the listing frame still visible
     * @param listingToEvidence where each listing pixel went (pixel centres at integer coordinates)
     */
    record Copy(BufferedImage image, List<Edit> edits, double strength, long seed, List<Rectangle> damage,
            double visible, AffineTransform listingToEvidence) {
        String label() {
            return String.join("+", edits.stream().map(Enum::name).toList());
        }

        /** The same facts without the pixels, for holding thousands of outcomes. */
        Copy withoutImage() {
            return new Copy(null, edits, strength, seed, damage, visible, listingToEvidence);
        }
    }

    private DoctoredCopies() {}

    static Copy make(BufferedImage listing, Edit edit, double strength, long seed) {
        return make(listing, List.of(edit), strength, seed);
    }

    static Copy make(BufferedImage listing, List<Edit> edits, double strength, long seed) {
        Random random = new Random(Seeds.mix(seed, stableHash(edits)));
        List<Edit> ordered = new ArrayList<>(edits);
        ordered.sort(Comparator.comparingInt((Edit e) -> e.stage).thenComparing(Enum::ordinal));
        BufferedImage image = Pictures.rgb(listing);
        List<Rectangle> damage = new ArrayList<>();
        double visible = 1;
        AffineTransform geometry = new AffineTransform();
        for (Edit edit : ordered) {
            BufferedImage before = image;
            AffineTransform step = new AffineTransform();
            switch (edit) {
                case CRACK -> image = painted(DamagePainter.crack(image, strength, random), damage, geometry, listing);
                case STAIN -> image = painted(DamagePainter.stain(image, strength, random), damage, geometry, listing);
                case TEAR -> image = painted(DamagePainter.tear(image, strength, random), damage, geometry, listing);
                case GENERATIVE_FILL -> image = painted(DamagePainter.fill(image, strength, random), damage, geometry, listing);
                case MIRROR -> {
                    image = mirror(image);
                    step = new AffineTransform(-1, 0, 0, 1, image.getWidth() - 1, 0);
                }
                case ROTATE -> {
                    AffineTransform drawn = new AffineTransform();
                    image = rotate(image, strength, random, drawn);
                    step = centred(drawn);
                }
                case CROP -> {
                    double[] kept = new double[3];
                    image = crop(image, strength, random, kept);
                    visible *= kept[0];
                    step = AffineTransform.getTranslateInstance(-kept[1], -kept[2]);
                }
                case SCREENSHOT -> {
                    PhoneScreenshot.Shot shot = PhoneScreenshot.of(image, strength, random);
                    image = shot.image();
                    step = scaling(shot.scaleX(), shot.scaleY());
                    step.preConcatenate(AffineTransform.getTranslateInstance(shot.offsetX(), shot.offsetY()));
                }
                case RESIZE -> {
                    image = resize(image, strength, random);
                    step = scaling((double) image.getWidth() / before.getWidth(), (double) image.getHeight() / before.getHeight());
                }
                case REENCODE -> image = Pictures.jpeg(image, (float) (0.95 - 0.45 * strength));
            }
            geometry.preConcatenate(step);
        }
        return new Copy(image, List.copyOf(edits), strength, seed, List.copyOf(damage), visible, geometry);
    }

    /** Enum hash codes differ from run to run; names do not. */
    private static long stableHash(List<Edit> edits) {
        return String.join("+", edits.stream().map(Enum::name).toList()).hashCode();
    }

    /** Every unordered pair of two different edits: 45. */
    static List<List<Edit>> pairs() {
        List<List<Edit>> pairs = new ArrayList<>();
        Edit[] all = Edit.values();
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                pairs.add(List.of(all[i], all[j]));
            }
        }
        return pairs;
    }

    /** Pixel-centre form of a scaling of continuous coordinates: x -> (x + 0.5) * s - 0.5. */
    private static AffineTransform scaling(double sx, double sy) {
        return new AffineTransform(sx, 0, 0, sy, 0.5 * sx - 0.5, 0.5 * sy - 0.5);
    }

    /** Pixel-centre form of a Java2D transform of continuous coordinates. */
    private static AffineTransform centred(AffineTransform continuous) {
        AffineTransform t = AffineTransform.getTranslateInstance(-0.5, -0.5);
        t.concatenate(continuous);
        t.concatenate(AffineTransform.getTranslateInstance(0.5, 0.5));
        return t;
    }

    private static BufferedImage painted(DamagePainter.Painted painted, List<Rectangle> damage, AffineTransform geometry,
            BufferedImage listing) {
        damage.add(toListing(painted.box(), geometry, listing));
        return painted.image();
    }

    /** A box painted on the edited image, as the listing-aligned box around it in listing pixels. */
    private static Rectangle toListing(Rectangle box, AffineTransform geometry, BufferedImage listing) {
        try {
            AffineTransform back = geometry.createInverse();
            java.awt.geom.Path2D.Double corners = new java.awt.geom.Path2D.Double(box);
            Rectangle mapped = corners.createTransformedShape(back).getBounds();
            return mapped.intersection(new Rectangle(0, 0, listing.getWidth(), listing.getHeight()));
        } catch (java.awt.geom.NoninvertibleTransformException e) {
            throw new IllegalStateException(e);
        }
    }

    static BufferedImage mirror(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        int w = image.getWidth();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    /**
     * Up to 10 degrees either way at strength 1. Either the canvas is kept and the corners
     * filled with a flat colour (as most editors do), or the photo is zoomed until the rotated
     * frame fills it ("straighten" in phone editors), which also crops.
     */
    static BufferedImage rotate(BufferedImage image, double strength, Random random, AffineTransform drawn) {
        double degrees = (random.nextBoolean() ? 1 : -1) * 10 * strength * (0.7 + 0.3 * random.nextDouble());
        double theta = Math.toRadians(degrees);
        int w = image.getWidth();
        int h = image.getHeight();
        boolean straighten = random.nextBoolean();
        double zoom = straighten
                ? Math.max(Math.abs(Math.cos(theta)) + Math.abs(Math.sin(theta)) * h / w,
                        Math.abs(Math.cos(theta)) + Math.abs(Math.sin(theta)) * w / h)
                : 1;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.smoothGraphics(out);
        Color[] fills = {Color.WHITE, Color.BLACK, new Color(128, 128, 128)};
        g.setColor(fills[random.nextInt(fills.length)]);
        g.fillRect(0, 0, w, h);
        AffineTransform t = new AffineTransform();
        t.translate(w / 2.0, h / 2.0);
        t.rotate(-theta); // counter-clockwise on screen for positive degrees
        t.scale(zoom, zoom);
        t.translate(-w / 2.0, -h / 2.0);
        g.drawImage(image, t, null);
        g.dispose();
        drawn.setTransform(t);
        return out;
    }

    /** Each side cut independently, by up to 25% of the frame at strength 1; at least one side cut. */
    static BufferedImage crop(BufferedImage image, double strength, Random random, double[] kept) {
        double[] cut = new double[4];
        boolean any = false;
        for (int side = 0; side < 4; side++) {
            if (random.nextDouble() < 0.7) {
                cut[side] = 0.25 * strength * (0.6 + 0.4 * random.nextDouble());
                any = true;
            }
        }
        if (!any) {
            cut[random.nextInt(4)] = 0.25 * strength;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int left = (int) Math.round(cut[0] * w);
        int right = (int) Math.round(cut[1] * w);
        int top = (int) Math.round(cut[2] * h);
        int bottom = (int) Math.round(cut[3] * h);
        int cw = Math.max(1, w - left - right);
        int ch = Math.max(1, h - top - bottom);
        kept[0] = (double) cw * ch / (w * h);
        kept[1] = left;
        kept[2] = top;
        return Pictures.rgb(image.getSubimage(left, top, cw, ch));
    }

    /** 0.5x to 1.5x at strength 1, shrinking or enlarging by seed. */
    static BufferedImage resize(BufferedImage image, double strength, Random random) {
        double factor = random.nextBoolean() ? 1 - 0.5 * strength : 1 + 0.5 * strength;
        return Pictures.resize(image, Math.max(1, (int) Math.round(image.getWidth() * factor)),
                Math.max(1, (int) Math.round(image.getHeight() * factor)));
    }
}
