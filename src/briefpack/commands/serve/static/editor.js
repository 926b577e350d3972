// The briefing editor (/edit/<id>) and its index (/edit). Saves post the fields with the
// version the page loaded and the values it loaded, so that the server can merge them with
// changes made to the file meanwhile. A quote made from a selection is sent as offsets into
// the source text: the server cuts the quote from the seed file itself.
(function () {
  'use strict';
  const post = window.briefpackPost;  // api.js

  // --- /edit: a new briefing from a seed ---------------------------------------------------
  document.querySelectorAll('#seeds button.create').forEach((button) => button.addEventListener(
    'click', async () => {
      const item = button.closest('li');
      const msg = item.querySelector('.msg');
      const pack = document.getElementById('new-pack');
      button.disabled = true;
      msg.textContent = 'creating…';
      msg.className = 'msg';
      const {status, data} = await post('/api/briefing-new', {
        seed: item.dataset.seed, pack: pack && pack.value ? pack.value : null,
      });
      if (status === 200) {
        location.assign(data.url);
        return;
      }
      button.disabled = false;
      msg.textContent = data.error;
      msg.className = 'msg err';
    }));

  const editor = document.getElementById('editor');
  if (!editor) { return; }

  // --- /edit/<id> ----------------------------------------------------------------------------
  const state = JSON.parse(document.getElementById('bp-briefing').textContent);
  const form = document.getElementById('briefing');
  const source = document.getElementById('source-text');
  const quoteButton = document.getElementById('quote-selection');
  const saveButton = document.getElementById('save');
  const saveMsg = document.getElementById('save-msg');

  const fit = (area) => {
    area.style.height = '0';
    area.style.height = area.scrollHeight + 2 + 'px';
  };
  const dirty = (el) => { el.dataset.dirty = '1'; };
  const clean = () => document.querySelectorAll('[data-dirty]').forEach((el) => {
    el.dataset.dirty = '0';
  });
  const oneLine = (text) => text.replace(/[^\S\u00a0\u2007\u202f]+/g, ' ').trim();

  function wire(root) {
    root.querySelectorAll('textarea.fit').forEach((area) => {
      fit(area);
      area.addEventListener('input', () => fit(area));
    });
    root.querySelectorAll('button.remove').forEach((button) => button.addEventListener(
      'click', () => {
        const list = button.closest('.list');
        button.closest('.item, .quote').remove();
        dirty(list);
      }));
  }
  form.addEventListener('input', (event) => dirty(event.target));
  window.addEventListener('resize', () => form.querySelectorAll('textarea.fit').forEach(fit));
  wire(form);

  function add(listId, templateId) {
    const list = document.getElementById(listId);
    const item = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    list.appendChild(item);
    wire(item);
    dirty(list);
    return item;
  }
  document.getElementById('add-key-point').addEventListener('click', () => {
    add('key-points', 'tpl-key-point').querySelector('textarea').focus();
  });

  // Offsets of the selection in the source text, in UTF-16 code units (as the server cuts).
  function selection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) { return null; }
    const range = sel.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) {
      return null;
    }
    const before = document.createRange();
    before.selectNodeContents(source);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const text = range.toString();
    if (!text.trim()) { return null; }
    return {from: [start, start + text.length], text: oneLine(text)};
  }
  document.addEventListener('selectionchange', () => {
    quoteButton.disabled = selection() === null;
  });
  quoteButton.addEventListener('click', () => {
    const picked = selection();
    if (picked === null) { return; }
    const item = add('quotes', 'tpl-quote');
    const area = item.querySelector('textarea');
    item.dataset.from = JSON.stringify(picked.from);
    item.classList.add('from-source');
    area.value = picked.text;
    area.readOnly = true;
    area.title = 'taken from the source text, verbatim';
    fit(area);
    window.getSelection().removeAllRanges();
    item.querySelector('.q-speaker').focus();
  });

  function fields() {
    const value = (name) => form.querySelector(`[data-name="${name}"]`).value;
    const optional = (name) => (oneLine(value(name)) ? value(name) : null);
    return {
      title: value('title'),
      'source.title': optional('source.title'),
      'source.published': optional('source.published'),
      'source.outlet': optional('source.outlet'),
      'source.author': optional('source.author'),
      'source.url': optional('source.url'),
      summary: value('summary'),
      key_points: [...document.querySelectorAll('#key-points textarea')].map((a) => a.value),
      quotes: [...document.querySelectorAll('#quotes .quote')].map((q) => {
        const speaker = q.querySelector('.q-speaker').value;
        return q.dataset.from ? {from: JSON.parse(q.dataset.from), speaker}
          : {text: q.querySelector('.q-text').value, speaker};
      }),
      assessment: value('assessment'),
      tags: value('tags').split(',').map((t) => t.trim()).filter((t) => t),
    };
  }

  function show(message, kind) {
    saveMsg.textContent = message;
    saveMsg.className = kind;
  }

  // The lists as the file now has them: quotes made from selections become plain quotes.
  function render(saved) {
    const points = document.getElementById('key-points');
    const quotes = document.getElementById('quotes');
    points.replaceChildren();
    quotes.replaceChildren();
    saved.key_points.forEach((text) => {
      add('key-points', 'tpl-key-point').querySelector('textarea').value = text;
    });
    saved.quotes.forEach((q) => {
      const item = add('quotes', 'tpl-quote');
      item.querySelector('textarea').value = q.text;
      item.querySelector('.q-speaker').value = q.speaker;
    });
    form.querySelectorAll('textarea.fit').forEach(fit);
  }

  async function save() {
    saveButton.disabled = true;
    show('saving…', '');
    const {status, data} = await post('/api/briefing/' + encodeURIComponent(state.id), {
      version: state.version, base: state.fields, fields: fields(),
      seed_version: state.seed_version,
    });
    saveButton.disabled = false;
    if (status !== 200) {
      const problems = data.problems || [];
      show(problems.length ? 'Not saved: ' + problems.join('; ') : data.error, 'err');
      return;
    }
    state.version = data.version;
    state.fields = data.fields;
    render(data.fields);
    clean();
    const kept = data.kept.length ? '; kept from the file: ' + data.kept.join(', ') : '';
    const said = (data.written.length ? 'Saved to ' + data.file : 'Nothing changed') + kept;
    show(said, 'saved');
    sessionStorage.setItem(FLASH, said);  // the page reloads when the preview is rebuilt
    check();
  }
  const FLASH = 'briefpack-saved:' + state.id;
  if (sessionStorage.getItem(FLASH)) {
    show(sessionStorage.getItem(FLASH), 'saved');
    sessionStorage.removeItem(FLASH);
  }
  saveButton.addEventListener('click', save);
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 's') {
      event.preventDefault();
      save();
    }
  });
  window.addEventListener('beforeunload', (event) => {
    if (document.querySelector('[data-dirty="1"]')) { event.preventDefault(); }
  });

  // `check`'s findings about this briefing, as the CLI words them.
  async function check() {
    const list = document.getElementById('findings');
    const count = document.getElementById('check-count');
    let data = null;
    try {
      const r = await fetch('/api/briefing/' + encodeURIComponent(state.id) + '/check',
        {cache: 'no-store'});
      data = await r.json();
    } catch (e) { /* the server restarts: the next save or reload asks again */ }
    list.replaceChildren();
    if (!data || !data.findings) {
      count.textContent = '(not available)';
      return;
    }
    const errors = data.findings.filter((f) => f.severity === 'error').length;
    const warnings = data.findings.length - errors;
    count.textContent = errors || warnings
      ? `${errors} error(s), ${warnings} warning(s)` : 'ok: no errors';
    data.findings.forEach((f) => {
      const li = document.createElement('li');
      li.className = f.severity;
      li.dataset.code = f.code;
      li.textContent = f.text;
      const root = f.field ? f.field.split(/[.[]/)[0] : null;
      const group = root && form.querySelector(`[data-field="${root}"]`);
      if (group) {
        li.classList.add('jump');
        li.addEventListener('click', () => group.scrollIntoView({block: 'center'}));
      }
      list.appendChild(li);
    });
    if (data.elsewhere) {
      const li = document.createElement('li');
      li.className = 'where';
      li.textContent = `${data.elsewhere} problem(s) in other files: run briefpack check`;
      list.appendChild(li);
    }
  }
  check();

  // A rebuild (this save, or any change to the project): stay when this briefing's file is
  // as the page has it, with check's findings brought up to date; else reload.js reloads
  // (or, with unsaved edits, says that the file changed: Save merges them).
  window.briefpackStay = async () => {
    try {
      const r = await fetch('/api/briefing/' + encodeURIComponent(state.id), {cache: 'no-store'});
      if (!r.ok || (await r.json()).version !== state.version) { return false; }
    } catch (e) {
      return false;
    }
    check();
    return true;
  };
})();
