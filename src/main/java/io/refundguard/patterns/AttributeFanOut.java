package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each refund-only request to the rings of all its link attributes, one element per
 * attribute present; anything else produces nothing. The ring operator assesses every element it
 * gets (and counts only the kinds its rules name), so a request receives {@link
 * SharedAttributeRingRule#allAttributesOf} ring assessments whatever rule set is in effect.
 */
public final class AttributeFanOut implements FlatMapFunction<PersonEvent, AttributedRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(PersonEvent element, Collector<AttributedRequest> out) {
        for (AttributeKey attribute : SharedAttributeRingRule.allAttributesOf(element.event())) {
            out.collect(new AttributedRequest(attribute.key(), element));
        }
    }
}
