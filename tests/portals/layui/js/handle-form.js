/* global layui, KindEditor */
// The handling form (处置登记): layui renders its radios and selects, laydate
// its date inputs, KindEditor the public reply. Attachments upload with
// jQuery as soon as they are chosen; the form posts their ids on submit.
var editor;
KindEditor.ready(function (K) {
  editor = K.create('#note11', {
    width: '100%',
    height: '180px',
    resizeType: 0,
    items: ['bold', 'italic', 'underline', '|', 'insertorderedlist', 'insertunorderedlist', '|', 'removeformat'],
  });
});

layui.use(['form', 'laydate', 'layer'], function () {
  var form = layui.form;
  var laydate = layui.laydate;
  var $ = layui.$;
  form.render();
  laydate.render({ elem: '#note6', type: 'datetime', format: 'yyyy年MM月dd日 HH时mm分' });
  laydate.render({ elem: '#note12', type: 'date', format: 'yyyy/MM/dd' });

  $('.att-input').on('change', function (event) {
    var input = event.target;
    var kind = $(input).data('kind');
    var hidden = $('input[name="att_' + kind + '"]');
    $.each(input.files, function (_, file) {
      var item = $('<li class="att-item"></li>').text(file.name + '（上传中）').appendTo('#list-' + kind);
      var data = new FormData();
      data.append('file', file, file.name);
      $.ajax({ url: '/layui/api/upload?kind=' + kind, type: 'POST', data: data, processData: false, contentType: false, dataType: 'json' })
        .done(function (res) {
          if (res.code !== 0) return item.addClass('failed').text(file.name + '（上传失败）');
          item.addClass('done').attr('data-id', res.data.id).text(file.name);
          hidden.val(hidden.val() ? hidden.val() + ',' + res.data.id : res.data.id);
        })
        .fail(function () {
          item.addClass('failed').text(file.name + '（上传失败）');
        });
    });
    input.value = '';
  });

  form.on('submit(doSubmit)', function (data) {
    var fields = {};
    var attachments = {};
    $.each(data.field, function (name, value) {
      if (name.indexOf('att_') === 0) attachments[name.slice(4)] = value ? value.split(',') : [];
      else if (name.indexOf('file_') !== 0 && name !== 'orderNo') fields[name] = value;
    });
    fields.note11 = editor ? editor.html() : '';
    $.ajax({
      url: '/layui/api/orders/' + data.field.orderNo + '/reply',
      type: 'POST',
      contentType: 'application/json',
      data: JSON.stringify({ fields: fields, attachments: attachments }),
      dataType: 'json',
    }).done(function (res) {
      if (res.code === 0) {
        $('#submitTip').text('提交成功');
        layui.layer.msg('提交成功');
      } else layui.layer.msg(res.msg);
    });
    return false;
  });
});
