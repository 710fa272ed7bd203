/**
 * The portal engine the content script calls. Plain DOM, no Vue; adapters
 * (shared/portal) say what to do, this does it on the page.
 */
export { recognisePage, pageCheckPasses, checkPasses, type RecognisedPage } from './recognise.ts';
export { submittedShown, watchSubmit, type SubmitWatch } from './submitted.ts';
export { readOrderPage, readReplyOrderNo, type OrderPageRead, type FieldRead } from './read-order.ts';
export { visibleText } from './dom.ts';
export { fillReply, checkReply, FILL_MARKS, UNPLANNED_KEY, type FillOptions, type FillReport, type FieldReport, type FieldStatus } from './fill.ts';
export { locate, candidates, type Located, type Target } from './locate.ts';
export { requiredMarker } from './required.ts';
export { checkReplyOrder, readPageOrder, type ConfirmedOrder, type OrderCheck, type PageOrder } from './order-guard.ts';
export { teachLocators, captureClicks, proposePageCheck, type TeachCandidate, type TeachResult } from './teach.ts';
export { createPageBridge, randomToken, type PageBridge } from './page-bridge.ts';
export { REQUEST_EVENT, RESPONSE_EVENT, TARGET_ATTRIBUTE, type PageRequest, type PageResponse } from './page-protocol.ts';
export { readListPage, readOrderAt, teachListColumn, type ListRead, type ListRow, type ListTeach, type OrderAt } from './read-list.ts';
