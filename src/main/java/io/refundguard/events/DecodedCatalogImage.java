package io.refundguard.events;

/** The result of decoding one catalog-images record: exactly one of the two is set. */
public record DecodedCatalogImage(CatalogImage image, DeadLetter rejected) implements Decoded<CatalogImage> {
    public static DecodedCatalogImage ok(CatalogImage image) {
        return new DecodedCatalogImage(image, null);
    }

    public static DecodedCatalogImage rejected(DeadLetter deadLetter) {
        return new DecodedCatalogImage(null, deadLetter);
    }

    @Override
    public CatalogImage value() {
        return image;
    }

    public boolean isValid() {
        return image != null;
    }
}
