/** One demo set shared by the demo tests: generating it is the slow part. */
import { createDemo, type Demo, type DemoOrder } from '#demo/index.ts';

/** A Monday, 09:30 CST. */
export const NOW = Date.UTC(2026, 10, 2, 1, 30);
export const DAY = 24 * 60 * 60 * 1000;

let cached: { demo: Demo; orders: DemoOrder[] } | null = null;

/** 5,000 orders over the default 30 days, seed 2025. */
export function bigSet(): { demo: Demo; orders: DemoOrder[] } {
  if (!cached) {
    const demo = createDemo({ now: NOW, seed: 2025, count: 5000 });
    cached = { demo, orders: [...demo.orders()] };
  }
  return cached;
}
