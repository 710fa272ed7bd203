/**
 * The results of one `npm run bench`: per figure median, min, max, runs, the
 * baseline measured in the same run and the ratio to it. Rendered as a
 * console table, a Markdown table and JSON.
 */
import type { CaseOutcome, Figure, Unit } from './case.ts';
import { summarize, type Summary } from './stats.ts';

export interface FigureResult extends Summary {
  readonly case: string;
  readonly figure: string;
  readonly unit: Unit;
  readonly better: 'lower' | 'higher';
  readonly baseline: (Summary & { readonly label: string }) | null;
  /** median ÷ baseline median; for "lower is better" figures above 1 means slower than the baseline. */
  readonly ratio: number | null;
  readonly note: string | null;
}

export interface CaseReport {
  readonly id: string;
  readonly title: string;
  readonly setup: string | null;
  readonly skipped: string | null;
  readonly failed: string | null;
  readonly seconds: number;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly quick: boolean;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpuModel: string; readonly memoryGb: number };
  readonly cases: readonly CaseReport[];
  readonly figures: readonly FigureResult[];
}

export function figureResults(caseTitle: string, outcome: CaseOutcome): FigureResult[] {
  return outcome.figures.map((figure: Figure) => {
    const own = summarize(figure.samples);
    const baseline = figure.baseline ? { label: figure.baseline.label, ...summarize(figure.baseline.samples) } : null;
    const ratio = baseline && baseline.median !== 0 && Number.isFinite(baseline.median) ? own.median / baseline.median : null;
    return { case: caseTitle, figure: figure.name, unit: figure.unit, better: figure.better, ...own, baseline, ratio, note: figure.note ?? null };
  });
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '–';
  // SSIM is 0–1 and its differences are in the third and fourth places.
  const digits = unit === 'SSIM' ? 4 : Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

const HEADERS = ['case', 'figure', 'median', 'min', 'max', 'runs', 'baseline (median)', 'ratio'] as const;

function rows(report: BenchReport): string[][] {
  const out: string[][] = [];
  for (const c of report.cases) {
    const figures = report.figures.filter((f) => f.case === c.title);
    if (c.skipped !== null || c.failed !== null) {
      out.push([c.title, c.skipped !== null ? `skipped: ${c.skipped}` : `FAILED: ${c.failed}`, '', '', '', '', '', '']);
      continue;
    }
    for (const f of figures) {
      out.push([
        f.case,
        f.figure,
        formatValue(f.median, f.unit),
        formatValue(f.min, f.unit),
        formatValue(f.max, f.unit),
        String(f.runs),
        f.baseline ? `${formatValue(f.baseline.median, f.unit)} (${f.baseline.label})` : '–',
        f.ratio === null ? '–' : `${f.ratio.toFixed(2)}×`,
      ]);
    }
  }
  return out;
}

export function renderTable(report: BenchReport): string {
  const all = [HEADERS as readonly string[], ...rows(report)];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((row) => displayWidth(row[i] ?? ''))));
  const line = (row: readonly string[]) => row.map((cell, i) => cell + ' '.repeat(widths[i]! - displayWidth(cell))).join('  ').trimEnd();
  return [line(all[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [
    `# Lianxin benchmarks${report.quick ? ' (quick mode: one run on small data — not figures to read)' : ''}`,
    '',
    `${report.startedAt} · Node ${report.machine.node} · ${report.machine.cpus} × ${report.machine.cpuModel} · ${report.machine.memoryGb} GB. ` +
      'Clients and servers share this machine. Ratio = median ÷ baseline median: below 1 is better for times and sizes, above 1 for rates (updates/s).',
    '',
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map(() => '---').join('|')}|`,
    ...rows(report).map((row) => `| ${row.map(escape).join(' | ')} |`),
    '',
    '## Setup and notes',
    '',
  ];
  for (const c of report.cases) {
    lines.push(`- **${c.title}** (${c.seconds.toFixed(0)} s): ${c.setup ?? c.skipped ?? c.failed ?? ''}`);
    for (const f of report.figures.filter((x) => x.case === c.title && x.note)) lines.push(`  - ${f.figure}: ${f.note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** CJK characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}
