package io.refundguard.images.compare;

/** Listing keypoint {@code listing} and evidence keypoint {@code evidence} look alike, {@code distance} bits apart. */
record Match(int listing, int evidence, int distance) {}
