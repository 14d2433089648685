package io.xdpgate.datapath.packet;

import java.util.Locale;

/**
 * One checksum of a frame: what the frame carries, what a fresh computation
 * gives, and the verdict.
 *
 * @param found    the field's value in the frame (-1 when there is no field)
 * @param expected the value a correct sender writes (-1 when not computable)
 */
public record ChecksumCheck(ChecksumStatus status, int found, int expected, String detail) {

    static ChecksumCheck notApplicable(String why) {
        return new ChecksumCheck(ChecksumStatus.NOT_APPLICABLE, -1, -1, why);
    }

    @Override
    public String toString() {
        if (found < 0) {
            return status + " (" + detail + ")";
        }
        return String.format(Locale.ROOT, "%s found 0x%04x expected 0x%04x (%s)", status, found, expected, detail);
    }
}
