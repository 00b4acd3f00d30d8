package io.refundguard.events;

import java.util.List;

/**
 * What a C2PA (Content Credentials) manifest in the file says.
 *
 * @param digitalSourceTypes IPTC digital source type URIs found in actions, action parameters and
 *     ingredients
 * @param stripped XMP {@code dcterms:provenance} points at an embedded manifest that is not there
 */
public record C2paInfo(
        Boolean present,
        List<String> digitalSourceTypes,
        String claimGenerator,
        Boolean stripped,
        String remoteManifest) {}
