// One /proc/<pid>[/task/<tid>]/stat file read as the benches need it (Linux): CPU time and page faults.
import { readFileSync } from 'node:fs';

export interface ThreadCpu {
  userMs: number;
  systemMs: number;
  /** Minor page faults: first touches of memory, each a trip through the kernel. */
  faults: number;
}

/** utime, stime (ms) and minflt from a /proc stat file (of a process or a thread; clock ticks are 1/100 s). */
export function cpuOfStat(path: string): ThreadCpu {
  const stat = readFileSync(path, 'utf8');
  // After "pid (comm) ": state is field 3, minflt 10, utime 14 and stime 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10, faults: Number(fields[7]) };
}
