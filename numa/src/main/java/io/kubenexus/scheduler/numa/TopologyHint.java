package io.kubenexus.scheduler.numa;

/**
 * One way to place a resource request on NUMA zones, as a kubelet hint provider reports it.
 *
 * @param mask      the zones, or {@code null} for "any zone" (the kubelet's nil affinity: the
 *                  provider has no preference, or no possible placement when not preferred)
 * @param preferred true when the mask uses the minimal number of zones the request needs
 */
public record TopologyHint(NumaMask mask, boolean preferred) {

    /** The kubelet's {@code {nil, preferred}} hint. */
    public static TopologyHint anyZone(boolean preferred) {
        return new TopologyHint(null, preferred);
    }

    public static TopologyHint of(NumaMask mask, boolean preferred) {
        if (mask == null) {
            throw new IllegalArgumentException("mask must not be null; use anyZone()");
        }
        return new TopologyHint(mask, preferred);
    }

    public boolean isAnyZone() {
        return mask == null;
    }

    /** The zones this hint pins to; "any zone" pins to all of {@code allZones}. */
    public NumaMask zonesWithin(NumaMask allZones) {
        return mask == null ? allZones : mask;
    }

    @Override
    public String toString() {
        return (mask == null ? "any" : mask.toString()) + (preferred ? " preferred" : " not-preferred");
    }
}
