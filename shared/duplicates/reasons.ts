/**
 * A duplicate suggestion's reasons in the user's language, from the codes
 * and numbers `findDuplicates` returns, so that the PWA, the extension and
 * the server's logs say the same thing (like describeConflict for conflicts).
 */
import type { Locale } from '../order/labels.ts';
import type { DuplicateReason } from './detect.ts';

export function describeDuplicateReason(reason: DuplicateReason, locale: Locale = 'zh-CN'): string {
  const zh = locale === 'zh-CN';
  switch (reason.code) {
    case 'same_address':
      return zh ? '同一地址' : 'same address';
    case 'near_address': {
      const metres = reason.metres === null ? null : Math.max(10, reason.metres);
      if (reason.basis === 'distance') return zh ? `相近地址（约 ${metres} 米）` : `nearby address (about ${metres} m)`;
      if (reason.basis === 'door') {
        const zhDetail = metres === null ? '门牌相邻' : `门牌相邻，约 ${metres} 米`;
        const enDetail = metres === null ? 'neighbouring door number' : `neighbouring door number, about ${metres} m`;
        return zh ? `相近地址（${zhDetail}）` : `nearby address (${enDetail})`;
      }
      return zh ? `同一道路${metres === null ? '' : `（约 ${metres} 米）`}` : `same road${metres === null ? '' : ` (about ${metres} m)`}`;
    }
    case 'similar_content':
      return zh ? `内容相似 ${reason.percent}%` : `content ${reason.percent}% similar`;
    case 'same_phone': {
      const days = Math.round(reason.hoursApart / 24);
      if (zh) return `同一来电号码（相隔 ${reason.hoursApart < 24 ? `${reason.hoursApart} 小时` : `${days} 天`}）`;
      return `same caller's number (${reason.hoursApart < 24 ? `${reason.hoursApart} h` : `${days} day${days === 1 ? '' : 's'}`} apart)`;
    }
    case 'same_category':
      return zh ? `同类诉求（${reason.category}）` : `same category (${reason.category})`;
  }
}

/** All of a suggestion's reasons on one line: 同一地址 · 内容相似 72%. */
export function describeDuplicateReasons(reasons: readonly DuplicateReason[], locale: Locale = 'zh-CN'): string {
  return reasons.map((reason) => describeDuplicateReason(reason, locale)).join(locale === 'zh-CN' ? ' · ' : '; ');
}
