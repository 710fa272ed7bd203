/**
 * The layui demo portal's reply form, scripted: the form sits in an iframe in
 * the shell's iframe; layui draws its radios and its select as divs (the real
 * controls are hidden), laydate inputs take typed dates, KindEditor edits in
 * an iframe body, and uploads list each file once the portal stored it.
 */
import { clicked, dropdown, edited, selected, selectedText, typed, uploaded, type Robot } from './kit.ts';

export const layuiRobot: Robot = (page) => {
  const form = page.frames().find((frame) => frame.name() === 'handleFrame');
  if (!form) throw new Error('robot: the handling form frame is not there');
  const radio = (name: string) =>
    clicked(form.locator(`input[name=${name}] + .layui-form-radio > div`), form.locator(`input[name=${name}]:checked`), (inputs) => inputs.evaluateAll((els) => els.map((el) => el.getAttribute('title') ?? '')));
  const layuiSelect = (name: string) => {
    const drawn = form.locator(`select[name=${name}] + .layui-form-select`);
    return dropdown(drawn.locator('.layui-select-title'), drawn.locator('dd[lay-value]:not([lay-value=""])'), async () => [
      await selectedText(form.locator(`select[name=${name}]`)),
      await drawn.locator('.layui-select-title input').inputValue(),
    ]);
  };
  const upload = (kind: string, oneAtATime = false) => uploaded(form.locator(`input[name=file_${kind}]`), form.locator(`#list-${kind} li.att-item.done`), { oneAtATime });
  return {
    note1: radio('note1'),
    note2: radio('note2'),
    note3: layuiSelect('note3'),
    note4: radio('note4'),
    note10: selected(form.locator('select[name=note10]')),
    note5: typed(form.locator('input[name=note5]')),
    note6: typed(form.locator('input[name=note6]'), { enter: true }),
    note7: radio('note7'),
    note12: typed(form.locator('input[name=note12]'), { enter: true }),
    note8: typed(form.locator('textarea[name=note8]')),
    note9: typed(form.locator('textarea[name=note9]')),
    note11: edited(form.frameLocator('iframe.ke-edit-iframe').locator('body')),
    att_zjfj: upload('zjfj'),
    att_lxzj: upload('lxzj'),
    att_blfj: upload('blfj', true),
  };
};
