package io.refundguard.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the newest savepoint or retained checkpoint to resume a local run from. */
public final class Recovery {
    private Recovery() {}

    /** The directory of the newest {@code _metadata} under the given roots, if any. */
    public static Optional<Path> latest(Path... roots) throws IOException {
        Path newest = null;
        FileTime newestTime = null;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
                for (Path metadata : files.sorted(Comparator.naturalOrder()).toList()) {
                    FileTime time = Files.getLastModifiedTime(metadata);
                    if (newestTime == null || time.compareTo(newestTime) > 0) {
                        newest = metadata.getParent();
                        newestTime = time;
                    }
                }
            }
        }
        return Optional.ofNullable(newest);
    }
}
