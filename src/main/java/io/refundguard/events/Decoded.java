package io.refundguard.events;

/** The result of decoding one input record: a value, or the dead letter saying why not. */
public interface Decoded<T> {
    T value();

    DeadLetter rejected();
}
