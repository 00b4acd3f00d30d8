package io.refundguard.images;

/** A stored photo within the radius of a probe, with its exact Hamming distance. */
public record ImageMatch(IndexedImage matched, int distance) {}
