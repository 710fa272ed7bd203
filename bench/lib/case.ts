/**
 * What a benchmark case is: one file in bench/cases/ exporting a `BenchCase`.
 * A case sets up once (servers, data), measures `runs` times, and returns its
 * figures, each with the samples of every run and, where there is one, the
 * baseline measured in the same run. The harness (bench/run.ts) turns samples
 * into median/min/max and ratios; a case never asserts a threshold.
 */

export type Unit = 'ms' | 's' | 'KB' | 'MB' | 'bytes' | 'updates/s' | '%' | 'count' | 'SSIM';

export interface Samples {
  /** What was measured, e.g. "bare Hocuspocus, same load". */
  readonly label: string;
  readonly samples: number[];
}

export interface Figure {
  /** Short name, unique within the case, e.g. "index visible p99". */
  readonly name: string;
  readonly unit: Unit;
  readonly better: 'lower' | 'higher';
  readonly samples: number[];
  readonly baseline?: Samples;
  /** One line for people: what the figure includes, or why it is what it is. */
  readonly note?: string;
}

export interface CaseOutcome {
  readonly figures: readonly Figure[];
  /** The size of the data and load this run used, printed with the table. */
  readonly setup: string;
}

export interface BenchContext {
  /** `--quick`: run once on small data; figures are for checking the harness, not for reading. */
  readonly quick: boolean;
  /** How many measured runs the case should do. */
  readonly runs: number;
  /** Progress line on stderr. */
  log(message: string): void;
}

export interface BenchCase {
  /** Stable id (file name), e.g. "fan-out". */
  readonly id: string;
  /** The number for the case and its title, e.g. "4 server fan-out". */
  readonly title: string;
  /**
   * The figures, or a reason the case cannot run here (something not built or
   * not installed) — reported as a "skipped" line, never as a failure.
   */
  run(context: BenchContext): Promise<CaseOutcome | { readonly skipped: string }>;
}

/** Collects one figure's samples run by run. */
export class FigureSamples {
  readonly samples: number[] = [];
  readonly baseline: number[] = [];
  constructor(
    readonly name: string,
    readonly unit: Unit,
    readonly better: 'lower' | 'higher',
    readonly options: { baselineLabel?: string; note?: string } = {},
  ) {}

  add(value: number, baselineValue?: number): void {
    this.samples.push(value);
    if (baselineValue !== undefined) this.baseline.push(baselineValue);
  }

  figure(): Figure {
    const { baselineLabel, note } = this.options;
    return {
      name: this.name,
      unit: this.unit,
      better: this.better,
      samples: this.samples,
      ...(baselineLabel !== undefined && this.baseline.length > 0 ? { baseline: { label: baselineLabel, samples: this.baseline } } : {}),
      ...(note !== undefined ? { note } : {}),
    };
  }
}

/** A whole number from the environment variable `name` (a case's load override), 1 to `max`; `fallback` when unset. */
export function envCount(name: string, fallback: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 1 || value > max) throw new Error(`${name} must be 1 to ${max}, got ${process.env[name]}`);
  return Math.round(value);
}
