package io.refundguard.patterns;

import java.io.IOException;
import org.apache.flink.util.InstantiationUtil;

/**
 * A rule set to bytes and back, for Flink state and the network. Interim: Java serialization
 * until the control-record JSON codec lands; the serializer snapshot version changes with it.
 */
final class RuleSetCodec {
    private RuleSetCodec() {}

    static byte[] toBytes(RuleSet rules) throws IOException {
        return InstantiationUtil.serializeObject(rules);
    }

    static RuleSet fromBytes(byte[] bytes) throws IOException {
        try {
            return InstantiationUtil.deserializeObject(bytes, RuleSetCodec.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("rule set class missing: " + e.getMessage(), e);
        }
    }
}
