/** The UEditor demo portal's reply form, scripted: native radios (by their labels) and select, text dates, two UEditor iframe bodies and uploads. */
import { clicked, edited, selected, typed, uploaded, type Robot } from './kit.ts';

export const ueditorRobot: Robot = (page) => {
  const radio = (name: string) => clicked(page.locator(`label[for^="${name}_"]`), page.locator(`input[name=${name}]:checked + label`));
  const upload = (kind: string, oneAtATime = false) => uploaded(page.locator(`input[name=file_${kind}]`), page.locator(`#list-${kind} li.att-item.done`), { oneAtATime });
  return {
    fld01: radio('fld01'),
    fld02: radio('fld02'),
    fld03: selected(page.locator('select[name=fld03]')),
    fld04: radio('fld04'),
    fld05: radio('fld05'),
    fld06: typed(page.locator('input[name=fld06]')),
    fld07: typed(page.locator('input[name=fld07]')),
    fld11: typed(page.locator('input[name=fld11]')),
    fld08: typed(page.locator('textarea[name=fld08]')),
    // UEditor numbers its iframes in the order the page creates the editors: 办理情况, then 公开答复内容.
    fld09: edited(page.frameLocator('#ueditor_0').locator('body')),
    fld10: edited(page.frameLocator('#ueditor_1').locator('body')),
    att_zjcl: upload('zjcl'),
    att_lxpz: upload('lxpz'),
    att_xczp: upload('xczp', true),
  };
};
