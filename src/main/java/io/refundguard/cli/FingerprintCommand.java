package io.refundguard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.refundguard.images.DecodeLimits;
import io.refundguard.images.EvidenceFingerprinter;
import io.refundguard.images.UnreadableEvidenceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code refundguard fingerprint FILE...}: what a platform should publish for its evidence
 * photos, computed by the detector's own code. A platform engineer compares it with their own
 * implementation; an analyst fingerprints a photo a reviewer was sent.
 */
public final class FingerprintCommand {
    public static final String USAGE = """
            usage: refundguard fingerprint FILE...
            Prints one JSON line per file: the contract's evidence object for it (imageId = the file
            name, sha256, pdq, pdqQuality, provenance; absent values are left out). A file that
            cannot be read or decoded prints {"imageId":...,"error":...} instead, the other files
            still print, and the exit status is 1.""";

    /** Nothing larger decodes (see {@link DecodeLimits}), so nothing larger is worth loading. */
    static final long MAX_FILE_BYTES = DecodeLimits.DEFAULT_MAX_FILE_BYTES;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private FingerprintCommand() {}

    /** Returns 0 when every file was fingerprinted, 1 when any was not, 2 for a usage error. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Flags flags;
        try {
            flags = Flags.parse(args, Set.of(), Set.of("--help"));
            if (flags.has("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (flags.positional().isEmpty()) {
                throw new UsageException("no files given");
            }
        } catch (UsageException e) {
            err.println("refundguard fingerprint: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }

        EvidenceFingerprinter fingerprinter = new EvidenceFingerprinter();
        boolean anyFailed = false;
        for (String name : flags.positional()) {
            String imageId = imageIdOf(name);
            Object line;
            try {
                line = fingerprinter.fingerprint(imageId, read(name));
            } catch (UnreadableEvidenceException e) {
                line = new FileError(imageId, e.getMessage());
            }
            if (line instanceof FileError failure) {
                anyFailed = true;
                err.println("refundguard fingerprint: " + name + ": " + failure.error());
            }
            out.println(json(line));
        }
        return anyFailed ? 1 : 0;
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
