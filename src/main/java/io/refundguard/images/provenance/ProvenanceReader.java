package io.refundguard.images.provenance;

import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.XMPMetaFactory;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentData;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.png.PngProcessingException;
import com.drew.lang.KeyValuePair;
import com.drew.metadata.Directory;
import com.drew.metadata.ErrorDirectory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import com.drew.metadata.xmp.XmpReader;
import io.refundguard.events.AigcLabel;
import io.refundguard.events.C2paInfo;
import io.refundguard.events.Provenance;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the provenance marks an evidence image carries about its own origin: the GB 45438-2025
 * implicit AI label, C2PA Content Credentials, the IPTC digital source type, generator software
 * and parameters, and the camera that took it. It reports what the file says; deciding what that
 * means is the detection policy's job.
 *
 * <p>JPEG and PNG are read. EXIF, XMP and PNG text chunks are read by metadata-extractor and
 * xmpcore; C2PA's JUMBF boxes (JPEG APP11, PNG caBX) by this package, since no library reads them.
 * Signatures are not validated.
 *
 * <p>Hostile files are expected: every length is checked before it is used and every read is
 * bounded (see {@link ReadLimits}), so a bad file costs bounded memory and time. EXIF, XMP, PNG
 * text and C2PA are read independently: a malformed part or a bound that trips costs that part
 * only and is named in {@link Provenance#incomplete()}, so one bad segment placed before the real
 * metadata cannot hide it. Only a file that is no JPEG or PNG, or is too large as a whole, ends
 * in an {@link UnreadableImageException}. Instances are stateless and thread-safe.
 */
public final class ProvenanceReader {
    static final String NS_TC260 = "http://www.tc260.org.cn/ns/AIGC/1.0/";
    static final String NS_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    private static final String NS_XMP = "http://ns.adobe.com/xap/1.0/";
    private static final String NS_DCTERMS = "http://purl.org/dc/terms/";

    /** What {@code dcterms:provenance} holds when the manifest is embedded in the file. */
    private static final String EMBEDDED_MANIFEST_PREFIX = "self#jumbf=";

    /**
     * PNG text keywords under which image generators store their prompt and settings: Stable
     * Diffusion web UI and Forge/Fooocus ({@code parameters}), ComfyUI ({@code prompt}, {@code
     * workflow}), InvokeAI ({@code invokeai_metadata}, older {@code sd-metadata}, {@code Dream}).
     */
    private static final Set<String> GENERATOR_KEYWORDS =
            Set.of("parameters", "prompt", "workflow", "invokeai_metadata", "sd-metadata", "dream");

    /** The PNG text keywords read at all; other text chunks are skipped unread. */
    private static final Set<String> USED_TEXT_KEYWORDS;

    static {
        Set<String> used = new java.util.HashSet<>(GENERATOR_KEYWORDS);
        used.add("aigc");
        used.add("software");
        USED_TEXT_KEYWORDS = Set.copyOf(used);
    }

    static {
        // xmpcore looks properties up by registered namespace; without this a file that lacks
        // the namespace could not even be asked for the property.
        try {
            XMPMetaFactory.getSchemaRegistry().registerNamespace(NS_TC260, "TC260");
            XMPMetaFactory.getSchemaRegistry().registerNamespace(NS_IPTC_EXT, "Iptc4xmpExt");
            XMPMetaFactory.getSchemaRegistry().registerNamespace(NS_DCTERMS, "dcterms");
        } catch (XMPException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Reads a file, refusing one larger than the bound before loading it. */
    public Provenance read(Path file) throws IOException, UnreadableImageException {
        long size = Files.size(file);
        if (size > ReadLimits.MAX_FILE_BYTES) {
            throw tooLarge(size);
        }
        return read(Files.readAllBytes(file));
    }

    public Provenance read(byte[] fileBytes) throws UnreadableImageException {
        if (fileBytes.length > ReadLimits.MAX_FILE_BYTES) {
            throw tooLarge(fileBytes.length);
        }
        if (JpegScanner.isJpeg(fileBytes)) {
            return readJpeg(fileBytes);
        }
        if (PngScanner.isPng(fileBytes)) {
            return readPng(fileBytes);
        }
        throw new UnreadableImageException("not a JPEG or PNG file (starts with "
                + hexPrefix(fileBytes) + ")");
    }

    private static Provenance readJpeg(byte[] file) {
        JpegScanner.Scan scan = JpegScanner.scan(file);
        List<String> incomplete = new ArrayList<>(scan.incomplete());
        Metadata exif = readJpegSegments(scan.exifSegments(), new ExifReader(), "EXIF", incomplete);
        Metadata xmp = readJpegSegments(scan.xmpSegments(), new XmpReader(), "XMP", incomplete);
        C2paManifestStore.Reading c2pa = null;
        boolean storeFound = false;
        for (JpegScanner.Region box : scan.jumbfBoxes()) {
            try {
                if (C2paManifestStore.isStore(box.buf(), box.start(), box.end())) {
                    storeFound = true;
                    c2pa = C2paManifestStore.read(box.buf(), box.start(), box.end());
                    break;
                }
            } catch (UnreadableImageException | RuntimeException | StackOverflowError e) {
                incomplete.add("C2PA: " + message(e));
            }
        }
        return assemble(exif, xmp, exif, c2pa, storeFound, incomplete);
    }

    /** One kind of JPEG metadata, read on its own: its failure is noted, not thrown. */
    private static Metadata readJpegSegments(List<byte[]> segments, JpegSegmentMetadataReader reader, String what,
            List<String> incomplete) {
        Metadata metadata = new Metadata();
        if (segments.isEmpty()) {
            return metadata;
        }
        JpegSegmentData data = new JpegSegmentData();
        for (byte[] segment : segments) {
            data.addSegment((byte) JpegScanner.APP1, segment);
        }
        try {
            JpegMetadataReader.processJpegSegmentData(metadata, List.of(reader), data);
        } catch (RuntimeException | StackOverflowError e) {
            incomplete.add(what + " could not be read (" + e.getClass().getSimpleName() + messageSuffix(e) + ")");
            return new Metadata();
        }
        return metadata;
    }

    private static Provenance readPng(byte[] file) throws UnreadableImageException {
        PngScanner.Scan scan = PngScanner.scan(file, USED_TEXT_KEYWORDS);
        List<String> incomplete = new ArrayList<>(scan.incomplete());
        Metadata text = readPngPart(scan.textPng(), "PNG text", incomplete);
        Metadata xmp = readPngPart(scan.xmpPng(), "XMP", incomplete);
        Metadata exif = readPngPart(scan.exifPng(), "EXIF", incomplete);
        JpegScanner.Region store = scan.manifestStore();
        C2paManifestStore.Reading c2pa = null;
        if (store != null) {
            try {
                c2pa = C2paManifestStore.read(store.buf(), store.start(), store.end());
            } catch (UnreadableImageException | RuntimeException | StackOverflowError e) {
                incomplete.add("C2PA: " + message(e));
            }
        }
        return assemble(exif, xmp, text, c2pa, store != null, incomplete);
    }

    private static Metadata readPngPart(byte[] png, String what, List<String> incomplete) {
        try {
            return PngMetadataReader.readMetadata(new ByteArrayInputStream(png));
        } catch (PngProcessingException | IOException | RuntimeException | StackOverflowError e) {
            incomplete.add(what + " could not be read (" + e.getClass().getSimpleName() + messageSuffix(e) + ")");
            return new Metadata();
        }
    }

    /**
     * Builds the reading from the three kinds of metadata read apart. A library error in one
     * kind drops that kind only and is named in {@code incomplete}: a label we failed to parse
     * is never invented, and never silently read as "no label" either.
     */
    private static Provenance assemble(Metadata exifMetadata, Metadata xmpMetadata, Metadata textMetadata,
            C2paManifestStore.Reading c2pa, boolean storeFound, List<String> incomplete) {
        List<XMPMeta> xmp = new ArrayList<>();
        if (noErrors(xmpMetadata, XmpDirectory.class, "XMP", incomplete)
                && noErrors(xmpMetadata, ErrorDirectory.class, "XMP", incomplete)) {
            for (XmpDirectory dir : xmpMetadata.getDirectoriesOfType(XmpDirectory.class)) {
                xmp.add(dir.getXMPMeta());
            }
        }
        List<KeyValuePair> pngText = noErrors(textMetadata, PngDirectory.class, "PNG text", incomplete)
                ? pngText(textMetadata)
                : List.of();
        // EXIF errors are tolerated: real cameras write slightly broken maker notes, and the
        // IFD0/Exif tags we read survive them.
        Metadata metadata = exifMetadata;
        String userComment = userComment(metadata);
        AigcLabel aigc = null;
        try {
            aigc = aigcLabel(xmp, pngText, userComment);
        } catch (UnreadableImageException e) {
            incomplete.add(e.getMessage());
        }

        boolean generatorParameters = looksLikeGeneratorParameters(userComment);
        String pngSoftware = null;
        for (KeyValuePair pair : pngText) {
            String keyword = pair.getKey().toLowerCase(Locale.ROOT);
            generatorParameters |= GENERATOR_KEYWORDS.contains(keyword);
            if (pngSoftware == null && keyword.equals("software")) {
                pngSoftware = Text.clean(pair.getValue().toString());
            }
        }

        String software = exifString(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_SOFTWARE);
        if (software == null) {
            software = xmpProperty(xmp, NS_XMP, "CreatorTool");
        }
        if (software == null) {
            software = pngSoftware;
        }

        String provenanceRef = xmpProperty(xmp, NS_DCTERMS, "provenance");
        boolean present = c2pa != null || storeFound;
        boolean pointsAtEmbedded = provenanceRef != null && provenanceRef.startsWith(EMBEDDED_MANIFEST_PREFIX);
        String remote = provenanceRef != null
                && (provenanceRef.regionMatches(true, 0, "https://", 0, 8)
                        || provenanceRef.regionMatches(true, 0, "http://", 0, 7))
                ? provenanceRef
                : null;
        C2paInfo c2paInfo = new C2paInfo(
                present,
                c2pa != null ? c2pa.digitalSourceTypes() : List.of(),
                c2pa != null ? c2pa.claimGenerator() : null,
                !present && pointsAtEmbedded,
                remote);

        return new Provenance(
                aigc,
                c2paInfo,
                xmpProperty(xmp, NS_IPTC_EXT, "DigitalSourceType"),
                software,
                generatorParameters,
                exifString(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_MAKE),
                exifString(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_MODEL),
                ExifValues.capturedAt(
                        exifString(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_DATETIME_ORIGINAL),
                        exifString(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_SUBSECOND_TIME_ORIGINAL),
                        exifString(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL)),
                incomplete);
    }

    /**
     * The label wherever it is, in the order of authority: the TC260 practice guide's XMP
     * property (element or attribute form read alike), then a PNG text chunk, then EXIF
     * UserComment, which some generators use instead.
     */
    private static AigcLabel aigcLabel(List<XMPMeta> xmp, List<KeyValuePair> pngText, String userComment)
            throws UnreadableImageException {
        String fromXmp = xmpProperty(xmp, NS_TC260, "AIGC");
        if (fromXmp != null) {
            return AigcLabels.parse(fromXmp, "XMP TC260:AIGC");
        }
        for (KeyValuePair pair : pngText) {
            if (pair.getKey().equalsIgnoreCase("AIGC")) {
                return AigcLabels.parse(pair.getValue().toString(), "PNG text chunk 'AIGC'");
            }
        }
        return AigcLabels.fromUserComment(userComment);
    }

    /**
     * Stable Diffusion web UI writes its parameters into the UserComment of the JPEGs it saves,
     * as the prompt followed by a settings line that always names the steps and the sampler.
     */
    private static boolean looksLikeGeneratorParameters(String userComment) {
        return userComment != null && userComment.contains("Steps: ") && userComment.contains("Sampler: ");
    }

    private static List<KeyValuePair> pngText(Metadata metadata) {
        List<KeyValuePair> pairs = new ArrayList<>();
        for (PngDirectory dir : metadata.getDirectoriesOfType(PngDirectory.class)) {
            if (dir.getObject(PngDirectory.TAG_TEXTUAL_DATA) instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof KeyValuePair pair) {
                        pairs.add(pair);
                    }
                }
            }
        }
        return pairs;
    }

    private static String userComment(Metadata metadata) {
        for (ExifSubIFDDirectory dir : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            byte[] raw = dir.getByteArray(ExifDirectoryBase.TAG_USER_COMMENT);
            if (raw != null) {
                String text = Text.clean(ExifValues.decodeUserComment(raw));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    private static <T extends Directory> String exifString(Metadata metadata, Class<T> type, int tag) {
        for (T dir : metadata.getDirectoriesOfType(type)) {
            String value = Text.clean(dir.getString(tag));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The first packet's simple value; a struct or array where a text belongs counts as absent. */
    private static String xmpProperty(List<XMPMeta> packets, String namespace, String name) {
        for (XMPMeta meta : packets) {
            try {
                XMPProperty property = meta.getProperty(namespace, name);
                if (property != null && !property.getOptions().isCompositeProperty()) {
                    String value = Text.clean(property.getValue());
                    if (value != null) {
                        return value;
                    }
                }
            } catch (XMPException e) {
                // xmpcore refused the lookup in this packet: it has no value for us there.
            }
        }
        return null;
    }

    private static <T extends Directory> boolean noErrors(Metadata metadata, Class<T> type, String what,
            List<String> incomplete) {
        for (T dir : metadata.getDirectoriesOfType(type)) {
            if (dir.hasErrors()) {
                incomplete.add(what + ": " + dir.getErrors().iterator().next());
                return false;
            }
        }
        return true;
    }

    private static String message(Throwable e) {
        return e instanceof UnreadableImageException || e.getMessage() == null
                ? String.valueOf(e.getMessage())
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String messageSuffix(Throwable e) {
        return e.getMessage() == null ? "" : ": " + e.getMessage();
    }

    private static UnreadableImageException tooLarge(long size) {
        return new UnreadableImageException("file is " + size + " bytes, more than the "
                + ReadLimits.MAX_FILE_BYTES + " allowed");
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
        }
        return bytes.length == 0 ? "nothing: the file is empty" : sb.toString();
    }
}
