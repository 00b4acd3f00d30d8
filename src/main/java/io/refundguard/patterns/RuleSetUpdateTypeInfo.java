package io.refundguard.patterns;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * How Flink stores a {@link RuleSetUpdate} in broadcast state and on the wire: as its {@code
 * detector-control} record, JSON ({@link RuleSetRecord}). A savepoint then holds the rule sets as
 * the settings they are, which stay readable when the rule classes change; Java serialization,
 * which the releases before wrote, tied them to the classes' names and shapes. Those savepoints
 * still restore: their snapshot ({@link Snapshot} version 3) restores a reader of that format
 * ({@link JavaSerialized}), and Flink rewrites the state as records at the next checkpoint.
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

    /** What both formats share: an update is immutable, of variable length, never reused. */
    private abstract static class ImmutableUpdateSerializer extends TypeSerializerSingleton<RuleSetUpdate> {
        private static final long serialVersionUID = 1L;

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
        public RuleSetUpdate deserialize(RuleSetUpdate reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }
    }

    /** The record's length, then the record (UTF-8 JSON). */
    public static final class Serializer extends ImmutableUpdateSerializer {
        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public void serialize(RuleSetUpdate update, DataOutputView target) throws IOException {
            byte[] record = RuleSetRecord.toBytes(update);
            target.writeInt(record.length);
            target.write(record);
        }

        @Override
        public RuleSetUpdate deserialize(DataInputView source) throws IOException {
            byte[] record = new byte[source.readInt()];
            source.readFully(record);
            return RuleSetRecord.fromBytes(record);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<RuleSetUpdate> snapshotConfiguration() {
            return new Snapshot(Snapshot.CONTROL_RECORD);
        }
    }

    /**
     * Reads (and, until Flink has migrated the state, writes) the format of the releases before
     * the control record: effectiveFrom, the length, then the {@link RuleSet} Java-serialized.
     * Kept so that their savepoints restore; only a restored {@link Snapshot} of version 3 makes it.
     */
    static final class JavaSerialized extends ImmutableUpdateSerializer {
        private static final long serialVersionUID = 1L;
        static final JavaSerialized INSTANCE = new JavaSerialized();

        @Override
        public void serialize(RuleSetUpdate update, DataOutputView target) throws IOException {
            byte[] rules = InstantiationUtil.serializeObject(update.rules());
            target.writeLong(update.effectiveFrom());
            target.writeInt(rules.length);
            target.write(rules);
        }

        @Override
        public RuleSetUpdate deserialize(DataInputView source) throws IOException {
            long effectiveFrom = source.readLong();
            byte[] rules = new byte[source.readInt()];
            source.readFully(rules);
            try {
                return new RuleSetUpdate(InstantiationUtil.deserializeObject(rules, RuleSetUpdate.class.getClassLoader()),
                        effectiveFrom);
            } catch (ClassNotFoundException e) {
                throw new IOException("rule set class missing: " + e.getMessage(), e);
            }
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
            return new Snapshot(Snapshot.JAVA_SERIALIZED);
        }
    }

    /**
     * The serializer has no configuration; the snapshot's version names the format of the values.
     * Savepoints name this class, so it keeps its name and package.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<RuleSetUpdate> {
        /** Java-serialized rule sets; the version Flink's {@code SimpleTypeSerializerSnapshot} wrote for them. */
        static final int JAVA_SERIALIZED = 3;
        /** The control record, JSON. */
        static final int CONTROL_RECORD = 4;

        private int format;

        /** For Flink, which reads the version into it. */
        public Snapshot() {
            this(CONTROL_RECORD);
        }

        Snapshot(int format) {
            this.format = format;
        }

        @Override
        public int getCurrentVersion() {
            return format;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion != JAVA_SERIALIZED && readVersion != CONTROL_RECORD) {
                throw new IOException("rule-set-updates: unknown serializer snapshot version " + readVersion
                        + " (this build reads " + JAVA_SERIALIZED + " and " + CONTROL_RECORD + ")");
            }
            format = readVersion;
        }

        @Override
        public TypeSerializer<RuleSetUpdate> restoreSerializer() {
            return format == JAVA_SERIALIZED ? JavaSerialized.INSTANCE : Serializer.INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<RuleSetUpdate> resolveSchemaCompatibility(
                TypeSerializerSnapshot<RuleSetUpdate> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            if (old.format == format) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
