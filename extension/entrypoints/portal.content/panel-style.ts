/** The panel's styles, given to the shadow root as text (see index.ts). The host is reset by WXT (`all: initial`). */
export const PANEL_CSS = `
:host { position: fixed !important; right: 16px !important; bottom: 16px !important; top: auto !important; left: auto !important; z-index: 2147483647 !important; }
.panel { font: 13px/1.5 system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1f2329; background: #fff;
  border: 1px solid #d0d3d6; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.18); width: 380px; max-height: 80vh;
  overflow: auto; box-sizing: border-box; }
.panel.collapsed { width: auto; }
/* Sticky: the panel scrolls (long orders, a reply's fields), and its title and collapse button must stay in reach. */
header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #c0392b; color: #fff; border-radius: 8px 8px 0 0;
  position: sticky; top: 0; z-index: 1; }
header h1 { flex: 1; margin: 0; font-size: 14px; }
header button { color: #fff; background: none; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: 0 6px; cursor: pointer; font: inherit; }
.body { padding: 10px; }
.kind { margin: 0 0 8px; color: #4e5969; }
table { width: 100%; border-collapse: collapse; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 3px 4px; border-bottom: 1px solid #eef0f2; word-break: break-all; }
th { width: 30%; color: #4e5969; font-weight: normal; }
td.ok, p.ok { color: #00a870; } td.bad { color: #c0392b; } td.note { color: #86909c; }
.pending { border: 1px solid #f0c27b; background: #fff8ec; border-radius: 6px; padding: 6px 8px; margin: 0 0 8px; }
button.primary { background: #1664ff; color: #fff; border: none; border-radius: 4px; padding: 4px 12px; cursor: pointer; font: inherit; }
button.primary[disabled] { opacity: .6; cursor: default; }
button.plain { background: #fff; color: #1f2329; border: 1px solid #c9cdd4; border-radius: 4px; padding: 4px 12px; cursor: pointer; font: inherit; }
select, input { font: inherit; padding: 3px 4px; max-width: 100%; }
.error { color: #c0392b; }
.warn { color: #d25f00; }
.note { color: #86909c; font-size: 12px; }
.row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
/* The reply's buttons (一键回填, 重新核对, 标记已回复) stay in reach below a long read-back table. */
.row.actions { position: sticky; bottom: 0; background: #fff; margin: 0; padding: 6px 0; border-top: 1px solid #eef0f2; }
`;
