// The review page: edit boxes grow to fit their sentence; Approve posts with the token.
(function () {
  'use strict';
  const fit = (area) => {
    area.style.height = '0';
    area.style.height = area.scrollHeight + 2 + 'px';
  };
  document.querySelectorAll('textarea').forEach((area) => {
    fit(area);
    area.addEventListener('input', () => { area.dataset.dirty = '1'; fit(area); });
  });
  // "Use this match" puts the memory's (maybe repaired) English into the box; Approve saves it.
  document.querySelectorAll('button.use-match').forEach((button) => button.addEventListener(
    'click', () => {
      const area = button.closest('tr').querySelector('textarea');
      area.value = button.dataset.en;
      area.dataset.dirty = '1';
      fit(area);
    }));
  document.querySelectorAll('button.approve').forEach((button) => button.addEventListener(
    'click', async () => {
      const row = button.closest('tr');
      const area = row.querySelector('textarea');
      const msg = row.querySelector('.msg');
      msg.textContent = 'saving…';
      msg.className = 'msg';
      const {ok, data} = await window.briefpackPost(  // api.js
        '/api/approve', {key: row.dataset.key, en: area.value});
      if (ok) {
        area.dataset.dirty = '0';
        const badge = row.querySelector('.badge');
        badge.textContent = 'reviewed';
        badge.className = 'badge reviewed';
        row.dataset.status = 'reviewed';
        msg.textContent = 'approved, saved to ' + data.file;
        msg.className = 'msg saved';
      } else {
        msg.textContent = data.error;
        msg.className = 'msg err';
      }
    }));
})();
