/**
 * Every benchmark case, in the order the report lists them (the issue's
 * numbering). A new case is one file in this folder and one line here.
 */
import type { BenchCase } from '../lib/case.ts';
import { backOnline } from './back-online.ts';
import { cityDay } from './city-day.ts';
import { coldStart } from './cold-start.ts';
import { desk } from './desk.ts';
import { fanOut } from './fan-out.ts';
import { indicators } from './indicators.ts';
import { knowledge } from './knowledge.ts';
import { firstSync } from './first-sync.ts';
import { photoPipeline } from './photo-pipeline.ts';
import { portalFill } from './portal-fill.ts';
import { weight } from './weight.ts';

export const CASES: readonly BenchCase[] = [coldStart, firstSync, backOnline, fanOut, photoPipeline, portalFill, weight, desk, indicators, knowledge, cityDay];
