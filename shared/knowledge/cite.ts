/**
 * 引用: an entry's answer as a worker quotes it into 公开答复 or 办理情况,
 * with its source named so the reader (and the reviewer) can check it:
 * "…答复正文（依据：《〔示例〕公共租赁住房管理办法》〔示例〕示住〔2023〕12号）".
 * Without a policy document the department answers for it.
 */
import type { KnowledgeEntry } from './entry.ts';

/** Where 引用 puts an answer: the close form's 公开答复 or 办理情况, or the progress note (进展). */
export type CiteTarget = 'publicReply' | 'actions' | 'progress';

export function citationOf(entry: Pick<KnowledgeEntry, 'basis' | 'department'>): string {
  const documents = entry.basis.map((b) => `《${b.title.replace(/^《|》$/g, '')}》${b.number}`);
  return documents.length > 0 ? `（依据：${documents.join('、')}）` : `（来源：${entry.department.name}）`;
}

/** The answer with its source, appended to what is already written (on a new line), trimmed to `max` characters. */
export function citeInto(existing: string, entry: Pick<KnowledgeEntry, 'answer' | 'basis' | 'department'>, max = Number.POSITIVE_INFINITY): string {
  const quote = `${entry.answer.trim()}${citationOf(entry)}`;
  const text = existing.trim() === '' ? quote : `${existing.trimEnd()}\n${quote}`;
  return text.length > max ? text.slice(0, max) : text;
}
