package io.refundguard.images;

import io.refundguard.identity.PersonEvent;
import java.util.List;

/**
 * A request waiting for its evidence lookups.
 *
 * @param expectedProbes the lookups it waits for, by probe id (one per photo and index); each is
 *     complete when its answers cover the whole index ({@link ProbeResult#covered()})
 */
public record ImageLookup(PersonEvent request, List<String> expectedProbes) {
    public String requestKey() {
        return request.event().requestKey();
    }
}
