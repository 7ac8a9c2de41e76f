export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1c1c1c; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: #cf222e; font-weight: 600; } .na { color: #777; }
.query { border: 1px solid #ccc; border-radius: 6px; padding: 12px; margin: 16px 0; }
.query.regressed { border-color: #cf222e; }
.plans { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.plans pre { background: #f6f8fa; padding: 8px; overflow: auto; max-height: 400px; font-size: 12px; }
code.sql { display: block; white-space: pre-wrap; background: #f6f8fa; padding: 6px; font-size: 12px; }
svg.chart { background: #fff; }
.source { fill: #3b82f6; } .target { fill: #10b981; } .target.slow { fill: #ef4444; }
`;
