import { describe, expect, it } from 'vitest';
import { escapeHtml, sameText, textToParagraphHtml } from '#shared/portal/richtext.ts';

describe('rich text from order text', () => {
  it('escapes markup: the text arrives as text', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;');
    expect(textToParagraphHtml('第一行\n\n<b>第三行</b>')).toBe('<p>第一行</p><p><br></p><p>&#60;b&#62;第三行&#60;/b&#62;</p>');
  });

  it('compares what an editor shows with what was written, whatever it did with whitespace', () => {
    expect(sameText('第一行\n第二行', '第一行\u00a0\n\n 第二行\u200b')).toBe(true);
    expect(sameText('已解决', '未解决')).toBe(false);
  });
});
