package io.refundguard.cli.simulate;

import java.util.List;

/**
 * Ground truth for one planted case: fraud a correct detector must alert on, or an honest near-miss
 * it must leave alone. One line of the {@code --labels} file.
 *
 * @param truth {@link #FRAUD} or {@link #HONEST}
 * @param pattern the pattern code the case is about
 * @param subjectKind the alert subject kind it should (or should not) be reported under: IDENTITY,
 *     IMAGE, ATTRIBUTE, MERCHANT, or REQUEST for a case judged request by request
 * @param subjectKey the alert subject key (identity hash, {@code device:<hash>},
 *     {@code merchant:<platform>:<merchantId>}), or null where the detector derives it (an
 *     image cluster's key) or the case is a request
 * @param requests {@code platform:requestId} of the requests that make the case
 * @param what one line for a person reading the file
 */
public record Label(String truth, String pattern, String subjectKind, String subjectKey, List<String> requests,
        String what) {
    public static final String FRAUD = "FRAUD";
    public static final String HONEST = "HONEST";

    public Label {
        requests = List.copyOf(requests);
    }

    public boolean isFraud() {
        return truth.equals(FRAUD);
    }
}
