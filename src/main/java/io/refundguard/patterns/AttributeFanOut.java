package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each refund-only request to the rings of its configured link attributes, one element per
 * attribute present; anything else produces nothing. The ring operator assesses every element it
 * gets, so a request receives {@code rule.attributesOf(request).size()} ring assessments.
 */
public final class AttributeFanOut implements FlatMapFunction<PersonEvent, AttributedRequest> {
    private static final long serialVersionUID = 1L;

    private final SharedAttributeRingRule rule;

    public AttributeFanOut(SharedAttributeRingRule rule) {
        this.rule = rule;
    }

    @Override
    public void flatMap(PersonEvent element, Collector<AttributedRequest> out) {
        for (AttributeKey attribute : rule.attributesOf(element.event())) {
            out.collect(new AttributedRequest(attribute.key(), element));
        }
    }
}
