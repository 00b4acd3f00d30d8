package io.refundguard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.refundguard.images.BoundedImageDecoder;
import io.refundguard.images.DecodeLimits;
import io.refundguard.images.EvidenceFingerprinter;
import io.refundguard.images.ImageRejectedException;
import io.refundguard.images.UnreadableEvidenceException;
import io.refundguard.images.compare.ChangedRegion;
import io.refundguard.images.compare.Comparison;
import io.refundguard.images.compare.CopyDetector;
import io.refundguard.images.compare.DiffImage;
import io.refundguard.images.compare.FeatureExtractor;
import io.refundguard.images.compare.Transform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code refundguard fingerprint FILE...}: what a platform should publish for its evidence
 * photos, computed by the detector's own code. A platform engineer compares it with their own
 * implementation; an analyst fingerprints a photo a reviewer was sent.
 */
@Command(name = "fingerprint", sortOptions = false, customSynopsis = {
        "refundguard fingerprint [-h] FILE...",
        "       refundguard fingerprint --compare LISTING EVIDENCE [--out DIFF.png]"}, description = {
        "Print the contract's evidence object (sha256, PDQ, provenance) of image files.",
        "Prints one JSON line per file: the contract's evidence object for it (imageId = the file name, "
        + "sha256, pdq, pdqQuality, provenance, localFeatures; absent values are left out). A file that "
        + "cannot be read or decoded prints {\"imageId\":...,\"error\":...} instead, the other files still "
        + "print, and the exit status is 1. Use the same fields (and localFeatures) for a catalog-images "
        + "record of a listing photo. --compare compares an evidence photo with a listing photo as the "
        + "detector does and prints one JSON line: copy or not (and why not), how the listing sits in the "
        + "evidence (scale, rotation, mirrored), the changed regions as boxes in the listing photo's "
        + "pixels, the share of its frame they cover and the kinds of change. Exit status 0 either way, 1 "
        + "if a file cannot be read."})
public final class FingerprintCommand extends CliCommand {
    /** Nothing larger decodes (see {@link DecodeLimits}), so nothing larger is worth loading. */
    static final long MAX_FILE_BYTES = DecodeLimits.DEFAULT_MAX_FILE_BYTES;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    @Option(names = "--compare", description = "Compare two photos: the listing photo, then the evidence photo.")
    private boolean compare;

    @Option(names = "--out", paramLabel = "DIFF.png",
            description = "With --compare: write the two photos side by side with the changed regions outlined.")
    private String diffOut;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Image files (JPEG, PNG).")
    private List<String> files = new ArrayList<>();

    /** Returns 0 when every file was fingerprinted, 1 when any was not. */
    @Override
    public Integer call() {
        if (files.isEmpty()) {
            throw new UsageException("no files given");
        }
        if (compare && files.size() != 2) {
            throw new UsageException("--compare takes two files, the listing photo and the evidence photo");
        }
        if (diffOut != null && !compare) {
            throw new UsageException("--out writes the picture of a --compare");
        }
        if (compare) {
            return compare(files.get(0), files.get(1), diffOut, out(), err());
        }
        EvidenceFingerprinter fingerprinter = new EvidenceFingerprinter();
        boolean anyFailed = false;
        for (String name : files) {
            String imageId = imageIdOf(name);
            Object line;
            try {
                line = fingerprinter.fingerprint(imageId, read(name));
            } catch (UnreadableEvidenceException e) {
                line = new FileError(imageId, e.getMessage());
            }
            if (line instanceof FileError failure) {
                anyFailed = true;
                err().println("refundguard fingerprint: " + name + ": " + failure.error());
            }
            out().println(json(line));
        }
        return anyFailed ? 1 : 0;
    }

    /**
     * The local comparison of one evidence photo with one listing photo, exactly as the detector's
     * listing-photos operator runs it (features extracted, then compared), and optionally the
     * picture a reviewer looks at.
     */
    private static int compare(String listingName, String evidenceName, String outName, PrintStream out, PrintStream err) {
        BufferedImage listing;
        BufferedImage evidence;
        try {
            listing = decode(listingName);
            evidence = decode(evidenceName);
        } catch (UnreadableEvidenceException e) {
            err.println("refundguard fingerprint --compare: " + e.getMessage());
            return 1;
        }
        Comparison comparison = new CopyDetector().compare(FeatureExtractor.extract(listing), FeatureExtractor.extract(evidence));
        out.println(json(CompareReport.of(comparison)));
        if (outName != null) {
            try {
                Path target = Path.of(outName);
                if (!ImageIO.write(DiffImage.render(listing, evidence, comparison), "png", target.toFile())) {
                    throw new IOException("no PNG writer");
                }
                err.println("refundguard fingerprint --compare: wrote " + target);
            } catch (IOException | InvalidPathException e) {
                err.println("refundguard fingerprint --compare: cannot write " + outName + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    /** The comparison as one JSON line: what a reviewer needs, in the alert's words. */
    record CompareReport(boolean copy, String reason, Double scale, Double rotationDegrees, Boolean mirrored,
            int keypointInliers, double overlapShare, double agreement, List<ChangedRegion> changedRegions,
            double changedShare, List<String> changes) {
        static CompareReport of(Comparison c) {
            Transform t = c.transform();
            return new CompareReport(c.copy(), c.copy() ? null : c.reason(), t == null ? null : round(t.scale()),
                    t == null ? null : round(t.rotationDegrees()), t == null ? null : t.mirrored(), c.inliers(),
                    round(c.overlapShare()), round(c.agreement()), c.changedRegions(), round(c.changedShare()),
                    c.kinds().stream().map(Enum::name).sorted().toList());
        }

        private static double round(double v) {
            return Math.round(v * 10_000) / 10_000.0;
        }
    }

    private static BufferedImage decode(String name) throws UnreadableEvidenceException {
        byte[] bytes;
        try {
            bytes = read(name);
        } catch (UnreadableEvidenceException e) {
            throw new UnreadableEvidenceException(name + ": " + e.getMessage());
        }
        try {
            return new BoundedImageDecoder(DecodeLimits.DEFAULT).decode(bytes);
        } catch (ImageRejectedException e) {
            throw new UnreadableEvidenceException(name + ": not a decodable image: " + e.getMessage());
        }
    }

    /** One file's failure, on stdout in the same stream of lines as the successes. */
    private record FileError(String imageId, String error) {}

    private static String imageIdOf(String name) {
        try {
            Path fileName = Path.of(name).getFileName();
            return fileName == null ? name : fileName.toString();
        } catch (InvalidPathException e) {
            return name;
        }
    }

    /** The file's bytes, or why not in words a user can act on (no exception class names). */
    private static byte[] read(String name) throws UnreadableEvidenceException {
        Path file;
        try {
            file = Path.of(name);
        } catch (InvalidPathException e) {
            throw new UnreadableEvidenceException("not a valid path: " + e.getReason());
        }
        if (Files.isDirectory(file)) {
            throw new UnreadableEvidenceException("is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the limit rather than trusting the size the file system
            // reports: a named pipe or /dev/zero has none, and a growing file outgrows it.
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new UnreadableEvidenceException("larger than the " + MAX_FILE_BYTES + " bytes a photo may have");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new UnreadableEvidenceException("no such file");
        } catch (AccessDeniedException e) {
            throw new UnreadableEvidenceException("permission denied");
        } catch (IOException e) {
            throw new UnreadableEvidenceException("cannot read: " + e.getMessage());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Our own records always serialise; failing here is a bug, not a user's mistake.
            throw new UncheckedIOException(e);
        }
    }
}
