package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each refund-only request to its merchant and to its product, two elements; anything else
 * produces nothing. The burst operator assesses every element, so a refund-only request receives
 * two burst assessments and any other request none.
 */
public final class MerchantFanOut implements FlatMapFunction<PersonEvent, MerchantRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(PersonEvent element, Collector<MerchantRequest> out) {
        for (String key : MerchantBurst.keysOf(element.event())) {
            out.collect(new MerchantRequest(key, element));
        }
    }
}
