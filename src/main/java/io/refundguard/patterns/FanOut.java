package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;
import java.io.Serializable;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each person event to every key its {@link Assessor} declares for it, as that operator's
 * input element; an event with no key there goes nowhere. The operator assesses every element it
 * gets, so a request receives exactly as many assessments from it as it has keys.
 */
public final class FanOut<T> implements FlatMapFunction<PersonEvent, T> {
    private static final long serialVersionUID = 1L;

    /** The operator's input element: the key, and the person event travelling to it. */
    @FunctionalInterface
    public interface Element<T> extends Serializable {
        T of(String key, PersonEvent event);
    }

    private final Assessor assessor;
    private final Element<T> element;

    public FanOut(Assessor assessor, Element<T> element) {
        this.assessor = assessor;
        this.element = element;
    }

    @Override
    public void flatMap(PersonEvent event, Collector<T> out) {
        for (String key : assessor.keysOf(event)) {
            out.collect(element.of(key, event));
        }
    }
}
