/* global document, XMLHttpRequest */
// The legacy portal's reply form (工单处置): pictures upload as soon as they
// are chosen and are listed; 提交处置 checks the required fields and posts.
Array.prototype.forEach.call(document.querySelectorAll('.up-file'), function (input) {
  input.addEventListener('change', function () {
    var kind = input.getAttribute('data-kind');
    var list = document.getElementById('list-' + kind);
    var hidden = input.form.elements['att_' + kind];
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement('li');
      item.className = 'up-item';
      item.textContent = file.name + '（上传中）';
      list.appendChild(item);
      var data = new FormData();
      data.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/legacy/api/upload');
      xhr.onload = function () {
        var res = xhr.status === 200 ? JSON.parse(xhr.responseText) : { code: xhr.status };
        if (res.code !== 0) {
          item.textContent = file.name + '（上传失败）';
          return;
        }
        item.className = 'up-item ok';
        item.textContent = file.name;
        hidden.value = hidden.value ? hidden.value + ',' + res.data.id : res.data.id;
      };
      xhr.send(data);
    });
    input.value = '';
  });
});

document.getElementById('btnSave').addEventListener('click', function () {
  var form = document.getElementById('frmDispose');
  var tip = document.getElementById('tip');
  if (!form.elements.p_lxjg.value || !form.elements.p_czqk.value || !form.querySelector('input[name=p_czjg]:checked')) {
    tip.textContent = '请填写带*的必填项';
    return;
  }
  var fields = {};
  var attachments = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || el.type === 'file' || el.type === 'button' || el.name === 'record_number') return;
    if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
    if (el.name.indexOf('att_') === 0) attachments[el.name.slice(4)] = el.value ? el.value.split(',') : [];
    else fields[el.name] = el.value;
  });
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/legacy/api/orders/' + encodeURIComponent(form.elements.record_number.value) + '/reply');
  xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.onload = function () {
    var res = JSON.parse(xhr.responseText);
    tip.textContent = res.code === 0 ? '处置已提交' : res.msg;
  };
  xhr.send(JSON.stringify({ fields: fields, attachments: attachments }));
});
