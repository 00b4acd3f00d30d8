package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CaseWordsTest {
    static JsonNode alert(String json) throws Exception {
        return ReplayFolder.MAPPER.readTree(json);
    }

    @Test
    void aRepeatRefunderInPlainWordsWithTheTierNamedAsInTheLaw() throws Exception {
        JsonNode a = alert("""
                {"pattern":"REPEAT_REFUNDER","platforms":["jd","pdd","tb"],"requests":[{},{},{},{}],
                 "amountTotal":"3356.50","currency":"CNY","legalTier":"LARGE","details":{"requestCount":4,"window":"30d"}}""");
        assertThat(CaseWords.summary(a, Messages.of("en")))
                .isEqualTo("4 refund-only requests in 30 days on 3 platforms, 3,356.50 CNY, legal tier LARGE (数额较大)");
        assertThat(CaseWords.summary(a, Messages.of("zh")))
                .isEqualTo("30天内在3个平台提出4次仅退款申请，3,356.50 CNY，法定档次 LARGE（数额较大）");
    }

    @Test
    void aPlatformsViewCountsTheOtherPlatformsRequestsToo() throws Exception {
        JsonNode a = alert("""
                {"pattern":"IMAGE_REUSE","platforms":["jd","tb"],"requests":[{}],
                 "otherPlatforms":[{"platform":"jd","requestCount":2}],
                 "amountTotal":"35000","currency":"CNY","legalTier":"HUGE","details":{}}""");
        assertThat(CaseWords.summary(a, Messages.of("en")))
                .isEqualTo("Evidence photo reused: 3 requests on 2 platforms, 35,000.00 CNY, legal tier HUGE (数额巨大)");
    }

    @Test
    void oneRequestOnOnePlatformIsSingular() throws Exception {
        JsonNode a = alert("""
                {"pattern":"AI_GENERATED_EVIDENCE","platforms":["tb"],"requests":[{}],
                 "amountTotal":"1234.5","currency":"CNY","legalTier":"ADMINISTRATIVE","details":{}}""");
        assertThat(CaseWords.summary(a, Messages.of("en")))
                .isEqualTo("AI-generated evidence: 1 request on 1 platform, 1,234.50 CNY, legal tier ADMINISTRATIVE (治安管理处罚)");
    }

    @Test
    void amountsAndWindows() {
        assertThat(CaseWords.amount("500000", "CNY")).isEqualTo("500,000.00 CNY");
        assertThat(CaseWords.amount("not a number", "CNY")).isEqualTo("not a number CNY");
        assertThat(CaseWords.window("2h", Messages.of("en"))).isEqualTo("2 hours");
        assertThat(CaseWords.window("7d", Messages.of("zh"))).isEqualTo("7天");
        assertThat(CaseWords.tier("ESPECIALLY_HUGE", Messages.of("en"))).isEqualTo("legal tier ESPECIALLY_HUGE (数额特别巨大)");
    }

    @Test
    void bothLanguagesLabelTheSameKeys() {
        assertThat(Messages.of("zh").all().keySet()).isEqualTo(Messages.of("en").all().keySet());
        assertThat(Messages.of(null).lang()).isEqualTo("en");
        assertThat(Messages.of("fr").lang()).isEqualTo("en");
    }
}
