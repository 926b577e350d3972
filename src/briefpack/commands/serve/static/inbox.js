// The Inbox view: Accept and Dismiss post with the server's token. The page reloads by
// itself once the inbox files change (reload.js); what was done is kept for one reload and
// shown at the top, since the row it was said in is gone by then.
(function () {
  'use strict';
  const FLASH = 'briefpack-inbox-done';
  const flash = document.getElementById('flash');
  const said = sessionStorage.getItem(FLASH);
  if (said !== null && flash !== null) {
    sessionStorage.removeItem(FLASH);
    flash.textContent = said;
    flash.hidden = false;
  }
  // A briefing id being typed holds the page's reload until it is used or emptied.
  document.querySelectorAll('#inbox-items input[name="briefing"]').forEach((field) => {
    field.addEventListener('input', () => { field.dataset.dirty = field.value ? '1' : '0'; });
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') { field.closest('tr').querySelector('button.accept').click(); }
    });
  });
  async function decide(row, action) {
    const field = row.querySelector('input[name="briefing"]');
    const msg = row.querySelector('.msg');
    const buttons = row.querySelectorAll('button');
    const body = {item: row.dataset.item};
    if (action === 'accept') { body.briefing = field.value.trim() || null; }
    buttons.forEach((b) => { b.disabled = true; });
    msg.textContent = action === 'accept' ? 'making the briefing…' : 'dismissing…';
    msg.className = 'msg';
    const {ok, data} = await window.briefpackPost('/api/inbox/' + action, body);  // api.js
    if (ok) {
      field.dataset.dirty = '0';
      row.classList.add('done', action === 'accept' ? 'accepted' : 'dismissed');
      row.dataset.status = action === 'accept' ? 'accepted' : 'dismissed';
      // The CLI's own lines: "wrote briefings/….yaml for seeds/…; next: …", "dismissed …".
      const lines = action === 'accept' ? data.lines.slice(1) : data.lines;
      const text = (action === 'accept' ? 'Accepted: ' : '') + lines.join('; ');
      msg.textContent = text;
      msg.className = 'msg saved';
      sessionStorage.setItem(FLASH, text);
    } else {
      buttons.forEach((b) => { b.disabled = false; });
      msg.textContent = data.error;
      msg.className = 'msg err';
    }
  }
  document.querySelectorAll('#inbox-items button.accept').forEach((button) => button.addEventListener(
    'click', () => decide(button.closest('tr'), 'accept')));
  document.querySelectorAll('#inbox-items button.dismiss').forEach((button) => button.addEventListener(
    'click', () => decide(button.closest('tr'), 'dismiss')));
})();
