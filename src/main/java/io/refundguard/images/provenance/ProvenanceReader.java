package io.refundguard.images.provenance;

import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.XMPMetaFactory;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegProcessingException;
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
 * bounded (see {@link ReadLimits}), so a bad file costs bounded memory and time and ends in an
 * {@link UnreadableImageException} with a one-line reason. Instances are stateless and
 * thread-safe.
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

    private static final List<JpegSegmentMetadataReader> JPEG_READERS =
            List.of(new ExifReader(), new XmpReader());

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

    private static Provenance readJpeg(byte[] file) throws UnreadableImageException {
        JpegScanner.Scan scan = JpegScanner.scan(file);
        JpegSegmentData segments = new JpegSegmentData();
        for (byte[] segment : scan.app1Segments()) {
            segments.addSegment((byte) JpegScanner.APP1, segment);
        }
        Metadata metadata = new Metadata();
        try {
            JpegMetadataReader.processJpegSegmentData(metadata, JPEG_READERS, segments);
        } catch (RuntimeException | StackOverflowError e) {
            throw libraryFailure("JPEG EXIF/XMP", e);
        }
        C2paManifestStore.Reading c2pa = null;
        for (JpegScanner.Region box : scan.jumbfBoxes()) {
            if (C2paManifestStore.isStore(box.buf(), box.start(), box.end())) {
                c2pa = C2paManifestStore.read(box.buf(), box.start(), box.end());
                break;
            }
        }
        return assemble(metadata, c2pa);
    }

    private static Provenance readPng(byte[] file) throws UnreadableImageException {
        PngScanner.Scan scan = PngScanner.scan(file);
        Metadata metadata;
        try {
            metadata = PngMetadataReader.readMetadata(new ByteArrayInputStream(scan.metadataPng()));
        } catch (PngProcessingException | IOException e) {
            throw new UnreadableImageException("PNG: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw libraryFailure("PNG text/EXIF/XMP", e);
        }
        JpegScanner.Region store = scan.manifestStore();
        C2paManifestStore.Reading c2pa = store == null
                ? null
                : C2paManifestStore.read(store.buf(), store.start(), store.end());
        return assemble(metadata, c2pa);
    }

    private static Provenance assemble(Metadata metadata, C2paManifestStore.Reading c2pa)
            throws UnreadableImageException {
        // Library errors in the places labels live are not shrugged off: a label we failed to
        // parse must not read as "no label". EXIF errors are tolerated: real cameras write
        // slightly broken maker notes, and the IFD0/Exif tags we read survive them.
        failOnErrors(metadata, ErrorDirectory.class, "metadata");
        failOnErrors(metadata, PngDirectory.class, "PNG");
        failOnErrors(metadata, XmpDirectory.class, "XMP");
        List<XMPMeta> xmp = new ArrayList<>();
        for (XmpDirectory dir : metadata.getDirectoriesOfType(XmpDirectory.class)) {
            xmp.add(dir.getXMPMeta());
        }
        List<KeyValuePair> pngText = pngText(metadata);

        String userComment = userComment(metadata);
        AigcLabel aigc = aigcLabel(xmp, pngText, userComment);

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
        boolean present = c2pa != null;
        boolean pointsAtEmbedded = provenanceRef != null && provenanceRef.startsWith(EMBEDDED_MANIFEST_PREFIX);
        String remote = provenanceRef != null
                && (provenanceRef.regionMatches(true, 0, "https://", 0, 8)
                        || provenanceRef.regionMatches(true, 0, "http://", 0, 7))
                ? provenanceRef
                : null;
        C2paInfo c2paInfo = new C2paInfo(
                present,
                present ? c2pa.digitalSourceTypes() : List.of(),
                present ? c2pa.claimGenerator() : null,
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
                        exifString(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL)));
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

    private static <T extends Directory> void failOnErrors(Metadata metadata, Class<T> type, String what)
            throws UnreadableImageException {
        for (T dir : metadata.getDirectoriesOfType(type)) {
            if (dir.hasErrors()) {
                throw new UnreadableImageException(what + ": " + dir.getErrors().iterator().next());
            }
        }
    }

    private static UnreadableImageException libraryFailure(String what, Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return new UnreadableImageException(what + " could not be read (" + e.getClass().getSimpleName()
                + message + ")", e);
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
