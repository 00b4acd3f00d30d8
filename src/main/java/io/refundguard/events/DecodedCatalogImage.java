package io.refundguard.events;

/** The result of decoding one catalog-images record: exactly one of the two is set. */
public record DecodedCatalogImage(CatalogImage image, DeadLetter rejected) {
    public static DecodedCatalogImage ok(CatalogImage image) {
        return new DecodedCatalogImage(image, null);
    }

    public static DecodedCatalogImage rejected(DeadLetter deadLetter) {
        return new DecodedCatalogImage(null, deadLetter);
    }

    public boolean isValid() {
        return image != null;
    }
}
