/** The popup's links into the PWA's desk, at the server the extension signed in to. */
import { describe, expect, it } from 'vitest';
import { deskUrl } from '#extension/lib/desk-link.ts';

describe('deskUrl', () => {
  it("opens the desk at the server's address, on a queue and an order when given", () => {
    expect(deskUrl('https://lianxin.example.cn')).toBe('https://lianxin.example.cn/#/desk');
    expect(deskUrl('http://127.0.0.1:8790/')).toBe('http://127.0.0.1:8790/#/desk');
    expect(deskUrl('https://gov.example.cn/lianxin//')).toBe('https://gov.example.cn/lianxin/#/desk');
    expect(deskUrl('http://127.0.0.1:8790', { queue: 'reply', orderId: 'o 1&x' })).toBe('http://127.0.0.1:8790/#/desk?q=reply&order=o+1%26x');
  });

  it('links nowhere but http(s)', () => {
    for (const url of ['javascript:alert(1)', 'file:///tmp/x', 'not a url', '']) expect(deskUrl(url)).toBeNull();
  });
});
