package io.refundguard.alerts;

/** What an alert is about: a person, an image cluster, a shared link attribute, a merchant. */
public enum SubjectKind {
    IDENTITY,
    IMAGE,
    ATTRIBUTE,
    MERCHANT
}
