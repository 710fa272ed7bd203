/**
 * How the engine picks exactly one element, on small pages of its own:
 * ties and disagreements fail with a reason, optional locators break ties,
 * bad selectors and missing frames say so, teach mode counts matches.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Locator } from '#shared/portal/adapter.ts';
import type { Located, Target } from '#extension/lib/portal/index.ts';
import { inject, newPage, startWorld, type World, zh } from './fixtures.ts';

let world: World;
let page: Page;
beforeAll(async () => {
  world = await startWorld();
  page = await newPage(world);
  await page.goto(world.portals.origin);
  await page.setContent(`<!doctype html><meta charset="utf-8">
    <table>
      <tr><td>联系电话</td><td><input name="tel1" class="phone"></td></tr>
      <tr><td>联系电话</td><td><input name="tel2" class="phone"></td></tr>
      <tr><td>*办理情况：</td><td><textarea name="note9"></textarea></td></tr>
    </table>
    <label for="when">联系时间</label><input id="when" placeholder="请选择时间">
    <div class="group"><label><input type="radio" name="ok" value="1">是</label><label><input type="radio" name="ok" value="0">否</label></div>
    <form class="marks">
      <table>
        <tr><td>联系号码</td><td><input name="m1" required></td></tr>
        <tr><td>联系方式</td><td><select name="m2" aria-required="true"><option value="">请选择</option><option>电话</option></select></td></tr>
        <tr><td><font color="red">*</font> 是否解决：</td><td><label><input type="radio" name="m3">是</label><label><input type="radio" name="m3">否</label></td></tr>
        <tr><td>办理情况</td><td><textarea name="m4" lay-verify="title|required"></textarea></td></tr>
        <tr><td>备注</td><td><textarea name="m5" lay-verify="title"></textarea></td></tr>
      </table>
      <label for="m6">＊办结日期</label><input id="m6" name="m6">
      <div class="el-form-item is-required"><label class="el-form-item__label">回复内容</label><div class="el-form-item__content"><input name="m7"></div></div>
      <div class="el-form-item"><label class="el-form-item__label">附言</label><div class="el-form-item__content"><input name="m8"></div></div>
      <div class="layui-form-item"><label class="layui-form-label"><span>*</span>现场情况</label><div class="layui-input-block"><input name="m9"></div></div>
    </form>
    <iframe name="inner" srcdoc="<table><tr><th>诉求内容</th><td class='v'>井盖缺损</td></tr></table>"></iframe>`);
  await page.waitForFunction(() => (document.querySelector('iframe') as HTMLIFrameElement).contentDocument?.querySelector('.v') !== null);
  await inject(page);
});
afterAll(async () => {
  await world?.close();
});

async function locate(locators: Locator[], target: Target): Promise<{ ok: boolean; name?: string | null; text?: string; reason?: string }> {
  const found = await page.evaluate(
    ({ locators, target }) => {
      const found: Located = window.lianxin.engine.locate(document, locators, target);
      return found.ok ? { ok: true as const, name: found.element.getAttribute('name'), text: found.element.textContent ?? '' } : { ok: false as const, reason: found.reason };
    },
    { locators, target },
  );
  // The engine's reason as the Chinese panel words it.
  return found.ok ? found : { ok: false, reason: zh(found.reason) };
}

it('fails a label that fits two fields, and lets an optional locator decide', async () => {
  const tie = await locate([{ by: 'label', text: '联系电话' }], 'text');
  expect(tie).toMatchObject({ ok: false, reason: expect.stringContaining('页面上有 2 处同样符合') });
  expect(await locate([{ by: 'label', text: '联系电话' }, { by: 'name', value: 'tel2', optional: true }], 'text')).toMatchObject({ ok: true, name: 'tel2' });
});

it('fails when required locators point at different elements, naming both', async () => {
  const split = await locate([{ by: 'label', text: '联系时间' }, { by: 'name', value: 'tel1' }], 'text');
  expect(split.ok).toBe(false);
  expect(split.reason).toContain('识别规则指向了不同的地方');
});

it('reads labels as a person does: required stars and colons, <label for>, radio groups, header cells in frames', async () => {
  expect(await locate([{ by: 'label', text: '办理情况' }, { by: 'name', value: 'note9' }], 'textarea')).toMatchObject({ ok: true, name: 'note9' });
  expect(await locate([{ by: 'label', text: '联系时间' }, { by: 'placeholder', value: '请选择时间' }], 'date')).toMatchObject({ ok: true });
  expect(await locate([{ by: 'name', value: 'ok' }], 'radio')).toMatchObject({ ok: true, text: '是否' });
  expect(await locate([{ by: 'label', text: '诉求内容', frame: ['iframe[name="inner"]'] }], 'read')).toMatchObject({ ok: true, text: '井盖缺损' });
});

it('says what is wrong with a bad selector, a missing frame or a missing label', async () => {
  expect((await locate([{ by: 'css', selector: 'input[name=' }], 'text')).reason).toContain('写法有误');
  expect((await locate([{ by: 'label', text: '诉求内容', frame: ['iframe[name="gone"]'] }], 'read')).reason).toContain('找不到内嵌页面');
  expect((await locate([{ by: 'label', text: '回访结果' }], 'text')).reason).toContain('找不到');
});

it('teach mode counts what each proposal finds and suggests only the unique ones', async () => {
  const taught = await page.evaluate(() => {
    const result = window.lianxin.engine.teachLocators(document, document.querySelector('input[name=tel1]')!, 'text');
    return result.ok ? { candidates: result.candidates.map((c) => ({ by: c.locator.by, matches: c.matches, unique: c.unique })), suggested: result.suggested } : null;
  });
  expect(taught?.candidates).toEqual(
    expect.arrayContaining([
      { by: 'label', matches: 2, unique: false },
      { by: 'name', matches: 1, unique: true },
    ]),
  );
  expect(taught?.suggested.map((l) => l.by)).not.toContain('label');
  expect(taught?.suggested).toContainEqual({ by: 'name', value: 'tel1' });
});

it('teaches an order field read from a frame: the label cell before the value, with the frame path', async () => {
  const taught = await page.evaluate(() => {
    const cell = (document.querySelector('iframe') as HTMLIFrameElement).contentDocument!.querySelector('.v')!;
    const result = window.lianxin.engine.teachLocators(document, cell, 'read');
    return result.ok ? { frame: result.frame, suggested: result.suggested } : null;
  });
  expect(taught?.frame).toEqual(['iframe[name="inner"]']);
  expect(taught?.suggested).toContainEqual({ by: 'label', text: '诉求内容', frame: ['iframe[name="inner"]'] });
});

it("recognises each of the page's own required markers, and nothing else", async () => {
  const marks = await page.evaluate(() => {
    const names = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
    return Object.fromEntries(
      names.map((name) => {
        const el = document.querySelector(`[name="${name}"]`)!;
        const target = name === 'm3' ? el.closest('td')! : el;
        return [name, window.lianxin.engine.requiredMarker(target)];
      }),
    );
  });
  // Which marker, as a code (the panel words it: reason-text.ts).
  expect(marks).toEqual({ m1: 'required', m2: 'aria-required', m3: 'label-star', m4: 'lay-verify', m5: null, m6: 'label-star', m7: 'is-required', m8: null, m9: 'label-star' });
});
