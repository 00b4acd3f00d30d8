package io.refundguard.images.provenance;

/**
 * Counts markup in the XMP a file hands to xmpcore and refuses the file past {@link
 * ReadLimits#MAX_XMP_MARKUP}, because xmpcore's parse time grows with the square of the
 * properties under one parent. Counting bytes is cheap and needs no XML parsing of our own.
 */
final class XmpMarkupBudget {
    private int used;

    void spend(byte[] b, int from, int to) throws UnreadableImageException {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '<' || b[i] == '=') {
                n++;
            }
        }
        used += n;
        if (used > ReadLimits.MAX_XMP_MARKUP) {
            throw new UnreadableImageException("XMP has more than " + ReadLimits.MAX_XMP_MARKUP
                    + " elements and attributes");
        }
    }
}
