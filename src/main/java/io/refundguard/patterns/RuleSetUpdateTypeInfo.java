package io.refundguard.patterns;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How Flink stores a {@link RuleSetUpdate} in broadcast state and on the wire. A rule set's
 * windows and cooldown are {@code java.time.Duration}, which Flink has no serializer of its own
 * for: as a POJO the rule set would fall back to Kryo (and generic types are off). So it is written
 * in Java serialization ({@link RuleSetCodec}).
 */
public final class RuleSetUpdateTypeInfo extends TypeInformation<RuleSetUpdate> {
    private static final long serialVersionUID = 1L;

    /** Named in {@code @TypeInfo} on {@link RuleSetUpdate}. */
    public static final class Factory extends TypeInfoFactory<RuleSetUpdate> {
        @Override
        public TypeInformation<RuleSetUpdate> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return new RuleSetUpdateTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<RuleSetUpdate> getTypeClass() {
        return RuleSetUpdate.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RuleSetUpdate> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RuleSetUpdate";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RuleSetUpdateTypeInfo;
    }

    @Override
    public int hashCode() {
        return RuleSetUpdateTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof RuleSetUpdateTypeInfo;
    }

    /** effectiveFrom, then the rule set's encoded length and bytes. */
    public static final class Serializer extends TypeSerializerSingleton<RuleSetUpdate> {
        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public RuleSetUpdate createInstance() {
            return null;
        }

        @Override
        public RuleSetUpdate copy(RuleSetUpdate from) {
            return from;
        }

        @Override
        public RuleSetUpdate copy(RuleSetUpdate from, RuleSetUpdate reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(RuleSetUpdate update, DataOutputView target) throws IOException {
            byte[] rules = RuleSetCodec.toBytes(update.rules());
            target.writeLong(update.effectiveFrom());
            target.writeInt(rules.length);
            target.write(rules);
        }

        @Override
        public RuleSetUpdate deserialize(DataInputView source) throws IOException {
            long effectiveFrom = source.readLong();
            byte[] rules = new byte[source.readInt()];
            source.readFully(rules);
            return new RuleSetUpdate(RuleSetCodec.fromBytes(rules), effectiveFrom);
        }

        @Override
        public RuleSetUpdate deserialize(RuleSetUpdate reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            target.writeLong(source.readLong());
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<RuleSetUpdate> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /**
     * The serializer has no configuration; a format change would bump this snapshot's version.
     * Savepoints name this class, so it keeps its name and package.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleSetUpdate> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
