/**
 * The watermark: a dark band along the bottom with white lines of text, sized
 * to the photo so it stays legible on a phone screen and in a printed report.
 */
export function drawWatermark(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number, lines: readonly string[]): void {
  const fontSize = Math.max(14, Math.round(Math.min(width, height) / 28));
  const lineHeight = Math.round(fontSize * 1.35);
  const padding = Math.round(fontSize * 0.6);
  const band = lines.length * lineHeight + padding * 2;
  ctx.save();
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.fillRect(0, height - band, width, band);
  ctx.font = `${fontSize}px "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif`;
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#ffffff';
  ctx.shadowColor = 'rgba(0, 0, 0, 0.8)';
  ctx.shadowBlur = 2;
  lines.forEach((line, i) => {
    ctx.fillText(line, padding, height - band + padding + i * lineHeight, width - padding * 2);
  });
  // A red rule marks the band as Lianxin's, so a cropped copy is recognisable.
  ctx.fillStyle = '#d7000f';
  ctx.fillRect(0, height - band, Math.round(fontSize / 3), band);
  ctx.restore();
}
