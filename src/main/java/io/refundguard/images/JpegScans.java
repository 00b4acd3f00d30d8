package io.refundguard.images;

/**
 * Counts a JPEG's scans (SOS markers) without decoding it, by walking its marker segments and
 * skipping each scan's entropy-coded data up to the next marker. Linear in the file and free of
 * allocation: it runs before the decoder, on files that may be hostile.
 */
final class JpegScans {
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    private JpegScans() {}

    /**
     * The number of scans, counting no further than {@code stopAt}. A malformed file is counted
     * as far as it goes; telling it is malformed is the decoder's job.
     */
    static int count(byte[] file, int stopAt) {
        int scans = 0;
        int pos = 2;
        while (pos + 1 < file.length && scans < stopAt) {
            if ((file[pos] & 0xff) != 0xFF) {
                return scans;
            }
            int marker = file[pos + 1] & 0xff;
            if (marker == 0xFF) {
                pos++; // fill byte before a marker
                continue;
            }
            if (marker == EOI) {
                return scans;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // markers without a length
                continue;
            }
            if (pos + 3 >= file.length) {
                return scans;
            }
            int length = ((file[pos + 2] & 0xff) << 8) | (file[pos + 3] & 0xff);
            pos += 2 + length;
            if (marker == SOS) {
                scans++;
                pos = afterEntropyData(file, pos);
            }
        }
        return scans;
    }

    /** The offset of the first marker after entropy-coded data starting at {@code pos}. */
    private static int afterEntropyData(byte[] file, int pos) {
        int i = pos;
        while (i + 1 < file.length) {
            if ((file[i] & 0xff) == 0xFF) {
                int next = file[i + 1] & 0xff;
                // 0xFF00 is a stuffed data byte, 0xFFD0-D7 restart markers inside the scan.
                if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                    return i;
                }
                i += next == 0xFF ? 1 : 2;
            } else {
                i++;
            }
        }
        return file.length;
    }
}
