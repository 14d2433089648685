package io.xdpgate.abi;

/** A Java enum constant mirroring a C enumerator. */
public interface CEnum {
    /** The C enumerator, e.g. {@code XG_ACT_PASS}. */
    String cName();

    /** Its value in C. */
    int value();

    /** The constant of {@code type} whose C value is {@code value}. */
    static <E extends Enum<E> & CEnum> E fromValue(Class<E> type, int value) {
        for (E e : type.getEnumConstants()) {
            if (e.value() == value) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " with value " + value);
    }
}
