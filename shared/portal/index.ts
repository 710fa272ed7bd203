/** Portal adapters: the format, its parser, built-in adapters, and the pure mapping both ways. */
export * from './adapter.ts';
export { parseAdapter, exportAdapter } from './parse.ts';
export { formatPortalDate, parsePortalDate, formatHasTime, compareShownDate, truncateToFormat, datePrecision, dateFormatProblem } from './dates.ts';
export { urlMatches, urlPatternFor, pagesForUrl, type PageKind, type PageCandidate } from './url.ts';
export { planReply, planWith, planField, replyInputOf, describePlanned, isChoiceWidget, PHOTO_KIND_LABELS } from './reply-plan.ts';
export type { ReplyInput, ReplyPlan, PlannedField, PlannedValue, PlannedPhoto } from './reply-plan.ts';
export { toOrderRecord, listRecord, titleFrom, type PortalOrderRecord, type OrderRecordResult, type RawOrderTexts, type RecordProblem, type RecordReason } from './order-record.ts';
export { PAGE_ERRORS, type PageError, type Reason, type ReasonCode, type ReasonOf, type RequiredMarker } from './reasons.ts';
export { escapeHtml, textToParagraphHtml, sameText } from './richtext.ts';
export * from './vocabulary.ts';
export { BUILTIN_ADAPTERS, builtinAdapter } from './builtin.ts';
