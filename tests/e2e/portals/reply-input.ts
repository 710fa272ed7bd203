/** A worker's close (办结) as the reducer's view gives it, with photos of all three kinds. */
import type { ReplyInput } from '#shared/portal/reply-plan.ts';
import type { Resolution } from '#shared/order/events.ts';
import type { TestPhoto } from './fixtures.ts';

export interface ClosePhotos {
  readonly handling: readonly TestPhoto[];
  readonly contact: readonly TestPhoto[];
  readonly document: readonly TestPhoto[];
}

export function closeInput(orderNo: string, photos: ClosePhotos, resolution: Resolution = 'partly'): ReplyInput {
  const at = Date.UTC(2026, 11, 1, 2, 30, 0); // 2026-12-01 10:30 CST
  return {
    orderNo,
    result: {
      at,
      founded: true,
      beyondRemit: false,
      resolution,
      ...(resolution === 'resolved' ? {} : { unresolvedReason: '主管道更换需市政排期，已设置临时导流，预计下周完成。' }),
      contact: { contacted: true, method: 'phone', at: Date.UTC(2026, 10, 30, 1, 15, 0), number: '13812345678' },
      actions: '网格员到场核实，污水井因油污淤积堵塞。\n区市政局出动疏通车清掏，管道已恢复畅通，路面积水已清理。',
      publicReply: '您反映的污水管道堵塞问题，区市政局已清掏疏通，现已恢复正常。感谢您对12345热线工作的理解和支持。',
      photos: {
        handling: photos.handling.map((p) => p.sha256),
        contact: photos.contact.map((p) => p.sha256),
        document: photos.document.map((p) => p.sha256),
      },
    },
    photos: [...photos.handling, ...photos.contact, ...photos.document].map((p) => ({ sha256: p.sha256, mime: p.mime })),
  };
}
