package io.refundguard.patterns;

import java.io.IOException;
import org.apache.flink.util.InstantiationUtil;

/**
 * A rule set to bytes and back, for Flink state and the network: Java serialization of the
 * records. Records are read back by component name through their constructors, so a savepoint's
 * rule updates stay readable while the rule records keep their class names and packages and no
 * component their constructors require is added; any other change needs a new snapshot version in
 * {@link RuleSetUpdateTypeInfo} that still reads these bytes.
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
