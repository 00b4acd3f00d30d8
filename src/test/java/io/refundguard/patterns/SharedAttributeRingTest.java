package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.alerts.Severity;
import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class SharedAttributeRingTest {
    private static final SharedAttributeRingRule RULE = SharedAttributeRingRule.defaults();
    private static final AmountTierRule AMOUNTS = RingEvents.CONFIG.rules().amountTier();
    private static final String DEVICE = "device:" + TestEvents.hash("device:d1");

    @Test
    void defaultsKeepHouseholdsBelowTheFloor() {
        assertThat(RULE.window()).isEqualTo(Duration.ofDays(30));
        assertThat(RULE.minPersons()).isEqualTo(4);
        assertThat(RULE.criticalPersons()).isEqualTo(7);
        assertThat(RULE.attributes()).containsExactly("device", "payment", "address");
    }

    @Test
    void settingsAreCheckedWithTheirNames() {
        assertThatThrownBy(() -> new SharedAttributeRingRule(Duration.ofDays(30), 1, 7, List.of("device")))
                .hasMessageStartingWith("minPersons:");
        assertThatThrownBy(() -> new SharedAttributeRingRule(Duration.ofDays(30), 4, 3, List.of("device")))
                .hasMessageStartingWith("criticalPersons:");
        assertThatThrownBy(() -> new SharedAttributeRingRule(Duration.ZERO, 4, 7, List.of("device")))
                .hasMessageStartingWith("window:");
        assertThatThrownBy(() -> new SharedAttributeRingRule(Duration.ofDays(30), 4, 7, List.of("device", "email")))
                .hasMessageStartingWith("attributes:").hasMessageContaining("email");
    }

    @Test
    void aRequestGoesToEachConfiguredAttributeItCarries() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p")
                .device("d1").payment("c1").address("a1").phone("m1"));
        assertThat(RULE.attributesOf(request.event())).extracting(AttributeKey::key).containsExactly(
                DEVICE, "payment:" + TestEvents.hash("payment:c1"), "address:" + TestEvents.hash("address:a1"));

        SharedAttributeRingRule phoneOnly = new SharedAttributeRingRule(Duration.ofDays(30), 4, 7, List.of("phone"));
        assertThat(phoneOnly.attributesOf(request.event())).extracting(AttributeKey::key)
                .containsExactly("phone:" + TestEvents.hash("phone:m1"));

        PersonEvent deviceOnly = RingEvents.person(TestEvents.request("tb", "R2").person("p").device("d1"));
        assertThat(RULE.attributesOf(deviceOnly.event())).extracting(AttributeKey::key).containsExactly(DEVICE);
        PersonEvent none = RingEvents.person(TestEvents.request("tb", "R3").person("p"));
        assertThat(RULE.attributesOf(none.event())).isEmpty();
    }

    @Test
    void returnAndRefundAndOtherEventsGoNowhere() {
        PersonEvent returned = RingEvents.person(TestEvents.request("tb", "R1").person("p").device("d1").returnAndRefund());
        assertThat(RULE.attributesOf(returned.event())).isEmpty();
        assertThat(RULE.attributesOf(RingEvents.decode(TestEvents.outcome("tb", "R1", "FRAUD", Duration.ofHours(1)))))
                .isEmpty();
        assertThat(RULE.attributesOf(null)).isEmpty();
    }

    @Test
    void threePersonsAreAHouseholdFourAreARing() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(member("p" + i, "tb", "R" + i, Duration.ofDays(i)));
            members.add(member("p" + i, "tb", "S" + i, Duration.ofDays(i).plusHours(1)));
        }
        assertThat(SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofDays(3)))).isEmpty();

        members.add(member("p3", "jd", "R3", Duration.ofDays(3)));
        PatternFinding ring = SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofDays(3))).orElseThrow();
        assertThat(ring.pattern()).isEqualTo(PatternCode.SHARED_ATTRIBUTE_RING);
        assertThat(ring.severity()).isEqualTo(Severity.HIGH);
        assertThat(ring.level()).isEqualTo(4);
        assertThat(ring.requests()).extracting(RequestRecord::requestId)
                .containsExactly("R0", "S0", "R1", "S1", "R2", "S2", "R3");
        assertThat(ring.amountTotal()).isEqualByComparingTo("903.00");
        assertThat(ring.details())
                .containsEntry("attributeKind", "device")
                .containsEntry("personCount", 4)
                .containsEntry("requestCount", 7)
                .containsEntry("window", "30d")
                .containsEntry("platformCount", 2);
        assertThat((List<Object>) ring.details().get("persons")).containsExactlyInAnyOrder(
                TestEvents.hash("person:p0"), TestEvents.hash("person:p1"), TestEvents.hash("person:p2"),
                TestEvents.hash("person:p3"));
    }

    @Test
    void sevenPersonsAreCritical() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            members.add(member("p" + i, "tb", "R" + i, Duration.ofHours(i)));
        }
        PatternFinding ring = SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofHours(6))).orElseThrow();
        assertThat(ring.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(ring.level()).isEqualTo(7);
    }

    @Test
    void theWindowSlidesInEventTimeAndEndsAtTheEvaluatedRequest() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(member("p" + i, "tb", "R" + i, Duration.ZERO));
        }
        members.add(member("p3", "tb", "R3", Duration.ofDays(30)));
        // Exactly one window apart: the oldest requests have just left it.
        assertThat(SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofDays(30)))).isEmpty();
        assertThat(SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members,
                at(Duration.ofDays(30).minusMillis(1)))).isEmpty();
        members.set(3, member("p3", "tb", "R3", Duration.ofDays(30).minusMillis(1)));
        assertThat(SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members,
                at(Duration.ofDays(30).minusMillis(1)))).isPresent();
        // A request later than the one evaluated is not part of its ring yet.
        assertThat(SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void returnAndRefundMembersAreNotCounted() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(member("p" + i, "tb", "R" + i, Duration.ofHours(i)));
        }
        PersonEvent returned = RingEvents.person(TestEvents.request("tb", "X").person("p9").device("d1")
                .returnAndRefund().after(Duration.ofHours(4)));
        members.add(new PersonRequest(returned.personKey(), RequestRecord.of(returned.event(), false)));
        assertThat(SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofHours(5)))).isEmpty();
    }

    @Test
    void accountsWithoutIdentityAreCountedPerPlatformNotNamedInDetails() {
        List<PersonRequest> members = new ArrayList<>();
        members.add(member("p0", "tb", "R0", Duration.ZERO));
        members.add(member("p1", "tb", "R1", Duration.ofHours(1)));
        for (int i = 2; i < 4; i++) {
            PersonEvent anonymous = RingEvents.person(TestEvents.request("jd", "R" + i).account("jd-acct-" + i)
                    .device("d1").after(Duration.ofHours(i)));
            assertThat(anonymous.personKey()).isEqualTo("jd:jd-acct-" + i);
            members.add(new PersonRequest(anonymous.personKey(), RequestRecord.of(anonymous.event(), false)));
        }
        PatternFinding ring = SharedAttributeRing.evaluate(RULE, AMOUNTS, DEVICE, members, at(Duration.ofHours(3))).orElseThrow();
        assertThat(ring.level()).isEqualTo(4);
        assertThat((List<Object>) ring.details().get("persons")).hasSize(2);
        assertThat(ring.details()).containsEntry("personsWithoutIdentityHashByPlatform", Map.of("jd", 2));
        assertThat(ring.details().toString()).doesNotContain("jd-acct-");
    }

    private static PersonRequest member(String person, String platform, String requestId, Duration after) {
        PersonEvent e = RingEvents.person(TestEvents.request(platform, requestId).person(person).device("d1").after(after));
        return new PersonRequest(e.personKey(), RequestRecord.of(e.event(), false));
    }

    private static long at(Duration after) {
        return RingEvents.T0 + after.toMillis();
    }
}
