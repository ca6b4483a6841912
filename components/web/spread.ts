/**
 * How a regional managed instance group with the EVEN target shape spreads its VMs: no two zones differ by
 * more than one VM (https://cloud.google.com/compute/docs/instance-groups/regional-mig-distribution-shape).
 * Which zones get the remainder is Google's choice, so it is reported as such rather than guessed.
 */
export interface ZoneSpread {
  /** VMs every zone is sure to get. */
  vmsPerZone: Record<string, number>;
  /** VMs beyond that, each in a different zone of Google's choosing. */
  extraVms: number;
  /** The most VMs one zone can hold, which is what the loss of one zone can take away. */
  mostInOneZone: number;
}

export function evenSpread(targetSize: number, zones: readonly string[]): ZoneSpread {
  if (zones.length === 0) {
    return { vmsPerZone: {}, extraVms: 0, mostInOneZone: 0 };
  }
  const base = Math.floor(targetSize / zones.length);
  const extraVms = targetSize % zones.length;
  return {
    vmsPerZone: Object.fromEntries(zones.map((zone) => [zone, base])),
    extraVms,
    mostInOneZone: base + (extraVms > 0 ? 1 : 0),
  };
}
