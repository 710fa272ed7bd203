/* global UE, document, XMLHttpRequest */
// The reply form (工单办理): UEditor renders 办理情况 over a script holder
// and 公开答复内容 over its textarea; attachments upload with XMLHttpRequest
// as soon as they are chosen; on submit the editors are synced into their
// textareas and the form's values are posted.
function options() {
  return {
    serverUrl: '/ueditor/api/ueditor',
    toolbars: [['bold', 'italic', 'underline', '|', 'insertorderedlist', 'insertunorderedlist', '|', 'removeformat', 'undo', 'redo']],
    initialFrameWidth: '100%',
    initialFrameHeight: 160,
    autoHeightEnabled: false,
    elementPathEnabled: false,
    wordCount: false,
    enableAutoSave: false,
  };
}
var actionsEditor = UE.getEditor('fld09', options());
var editor = UE.getEditor('fld10', options());

function upload(input) {
  var kind = input.getAttribute('data-kind');
  var list = document.getElementById('list-' + kind);
  var hidden = input.form.elements['att_' + kind];
  Array.prototype.forEach.call(input.files, function (file) {
    var item = document.createElement('li');
    item.className = 'att-item';
    item.textContent = file.name + '（上传中）';
    list.appendChild(item);
    var data = new FormData();
    data.append('file', file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/ueditor/api/upload?kind=' + kind);
    xhr.onload = function () {
      var res = xhr.status === 200 ? JSON.parse(xhr.responseText) : { code: xhr.status };
      if (res.code !== 0) {
        item.className = 'att-item failed';
        item.textContent = file.name + '（上传失败）';
        return;
      }
      item.className = 'att-item done';
      item.setAttribute('data-id', res.data.id);
      item.textContent = file.name;
      hidden.value = hidden.value ? hidden.value + ',' + res.data.id : res.data.id;
    };
    xhr.onerror = function () {
      item.className = 'att-item failed';
      item.textContent = file.name + '（上传失败）';
    };
    xhr.send(data);
  });
  input.value = '';
}

Array.prototype.forEach.call(document.querySelectorAll('.att-input'), function (input) {
  input.addEventListener('change', function () {
    upload(input);
  });
});

document.getElementById('btnSubmit').addEventListener('click', function () {
  var form = document.getElementById('replyForm');
  actionsEditor.sync();
  editor.sync();
  var fields = {};
  var attachments = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || el.type === 'file' || el.type === 'button' || el.name === 'gdbh') return;
    if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
    if (el.name.indexOf('att_') === 0) attachments[el.name.slice(4)] = el.value ? el.value.split(',') : [];
    else fields[el.name] = el.value;
  });
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/ueditor/api/orders/' + encodeURIComponent(form.elements.gdbh.value) + '/reply');
  xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.onload = function () {
    var res = JSON.parse(xhr.responseText);
    document.getElementById('submitTip').textContent = res.code === 0 ? '提交成功' : res.msg;
  };
  xhr.send(JSON.stringify({ fields: fields, attachments: attachments }));
});
