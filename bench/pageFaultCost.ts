// What a minor page fault costs on this machine: the first write to each 4 KiB page of fresh memory.
// A receiver that keeps what it receives touches fresh memory on every export (its index grows, the
// page cache takes its writes), and that cost is the machine's, not the code's: well under 1 µs per page
// on bare metal, but measured at ~9.5 µs on the VMs the bench runs on here. Printed beside the receiver's
// faults per export, so a slow run can be told apart from slow code.

import { cpuOfStat } from './procStat';

const PAGE = 4096;

/**
 * This thread's minor faults (Linux: /proc/thread-self/stat): the process's count would also
 * take in its GC helpers' faults, which land in the timed loop as noise. Elsewhere, the process's.
 */
function threadFaults(): number {
  try {
    return cpuOfStat('/proc/thread-self/stat').faults;
  } catch {
    return process.resourceUsage().minorPageFault;
  }
}

export interface PageFaultCost {
  /** Microseconds per fault, first touches of freshly mapped memory. */
  microsPerFault: number;
  faults: number;
}

/**
 * Touches one byte per page of a new 64 MiB ArrayBuffer (mapped, not yet backed: V8 gets it zeroed
 * from the allocator, which maps buffers this big on first use) and divides the time by the faults
 * this thread took meanwhile. Median of `rounds`.
 */
export function measurePageFaultCost(rounds = 5, bytes = 64 * 1024 * 1024): PageFaultCost {
  const samples: PageFaultCost[] = [];
  for (let r = 0; r < rounds; r++) {
    const view = new Uint8Array(new ArrayBuffer(bytes));
    const faults0 = threadFaults();
    const t0 = performance.now();
    for (let i = 0; i < bytes; i += PAGE) view[i] = 1;
    const ms = performance.now() - t0;
    const faults = threadFaults() - faults0;
    samples.push({ microsPerFault: faults > 0 ? (ms * 1000) / faults : NaN, faults });
  }
  samples.sort((a, b) => a.microsPerFault - b.microsPerFault);
  return samples[Math.floor(samples.length / 2)];
}
