// The review page: one task at a time, keyboard only. A field task shows
// the crop of one number: type it and press Enter. A whole-photo task shows
// the photo: pick the page (1-3), then type each field with Enter between.
// A legislative photo (the task lists its sheets) asks for the race and
// the sheet (page 1, or one party's page 2), labelled from the ballot of
// the TPS's dapil. The next task is claimed as soon as an entry is sent.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const form = JSON.parse($('form-data').dataset.form || '{}');
  const pageFields = form.pages || {};
  const entryInput = $('entry');
  const message = $('task-message');
  let task = null;       // the claimed task, or null
  let pagePick = 0;      // whole-photo task: the page chosen
  let pageInputs = [];   // whole-photo task: one input per field
  let sheet = null;      // legislative photo: the sheet chosen
  let busy = false;

  const RACES = {
    pdpr: 'DPR', pdpd: 'DPD', pdprdp: 'DPRD Provinsi', pdprdk: 'DPRD Kabupaten/Kota',
  };
  const hasSheets = (t) => t && (t.sheets || []).length > 0;
  const sheetsOf = (t, race) => (t.sheets || []).filter((s) => s.form_kind === race);

  const fieldLabel = (name) => (form.labels || {})[name] || name.replace(/_/g, ' ');

  async function refreshStats() {
    try {
      const stats = await api('GET', '/api/v1/volunteerStats');
      $('stats').textContent = `Entri Anda: ${stats.entries || 0} · cocok: ${stats.agreed || 0} · beda: ${stats.disagreed || 0}`;
    } catch (error) { /* stats are a courtesy */ }
  }

  async function next() {
    task = null;
    pagePick = 0;
    pageInputs = [];
    sheet = null;
    show($('sheet-pick'), false);
    entryInput.value = '';
    $('page-fields').textContent = '';
    try {
      task = await api('POST', '/api/v1/reviewTasks:claim');
    } catch (error) {
      show($('task-image'), false);
      $('task-label').textContent = error.status === 404
          ? 'Belum ada tugas. Halaman ini mencoba lagi sebentar lagi.'
          : `Galat: ${error.message}`;
      setTimeout(next, 3000);
      return;
    }
    const isPage = task.kind === 'KIND_PAGE';
    const image = $('task-image');
    image.src = isPage ? `data:image/jpeg;base64,${task.photo}`
                       : `data:image/png;base64,${task.image_png}`;
    image.classList.toggle('page', isPage);
    show(image, true);
    show($('field-entry'), !isPage);
    show($('page-entry'), isPage);
    // The whole page beside the crop: where on the form the number stands.
    const photoId = task.submission.replace(/^submissions\//, '');
    $('context-link').href = `/foto/${encodeURIComponent(photoId)}`;
    $('context-image').src = isPage ? '' : `/foto/${encodeURIComponent(photoId)}`;
    show($('context'), !isPage);
    $('page-prompt').textContent = 'Halaman berapa? Tekan 1, 2 atau 3.';
    if (hasSheets(task)) offerSheets();
    $('task-label').textContent = isPage
        ? `Foto utuh${hasSheets(task) ? ` · ${RACES[task.form_kind] || task.form_kind}` : ''} · TPS ${task.tps_code}`
        : `Halaman ${task.page} · ${fieldLabel(task.field)} · TPS ${task.tps_code}`;
    say(message, '');
    if (!isPage) entryInput.focus();
  }

  async function send(entry) {
    if (busy || !task) return;
    busy = true;
    try {
      await api('POST', '/api/v1/reviewEntries', { lease_id: task.lease_id, entry: { task: task.name, ...entry } });
      say(message, 'Terkirim.');
      refreshStats();
      await next();
    } catch (error) {
      say(message, `Tidak terkirim: ${error.message}`, true);
    } finally {
      busy = false;
    }
  }

  async function skip() {
    if (busy || !task) return;
    busy = true;
    try { await api('POST', '/api/v1/reviewTasks:skip', { task: task.name, lease_id: task.lease_id }); } catch (error) { /* expired: fine */ }
    busy = false;
    await next();
  }

  // Legislative photo: the race (the uploader's first) and its sheets.
  function offerSheets() {
    const races = [...new Set(task.sheets.map((s) => s.form_kind))];
    races.sort((a, b) => (b === task.form_kind) - (a === task.form_kind));
    const racePick = $('race-pick');
    racePick.textContent = '';
    for (const race of races) {
      racePick.appendChild(Object.assign(document.createElement('option'),
          { value: race, textContent: RACES[race] || race }));
    }
    const fillSheets = () => {
      const pick = $('sheet-choice');
      pick.textContent = '';
      sheetsOf(task, racePick.value).forEach((s, i) => {
        pick.appendChild(Object.assign(document.createElement('option'),
            { value: String(i), textContent: s.label }));
      });
    };
    racePick.onchange = fillSheets;
    fillSheets();
    $('page-prompt').textContent = 'Pilih pemilihan dan lembar yang difoto, lalu Enter.';
    show($('sheet-pick'), true);
    racePick.focus();
  }

  function pickSheet() {
    const chosen = sheetsOf(task, $('race-pick').value)[Number($('sheet-choice').value)];
    if (!chosen) return;
    sheet = chosen;
    show($('sheet-pick'), false);
    const labels = Object.fromEntries((chosen.fields || []).map((f) => [f.name, f.label]));
    pickPage(chosen.page, (chosen.fields || []).map((f) => f.name), labels,
        `${RACES[chosen.form_kind] || chosen.form_kind} · ${chosen.label}`);
  }

  function pickPage(page, names = pageFields[page] || [], labels = {}, title = `Halaman ${page}`) {
    pagePick = page;
    $('page-prompt').textContent = `${title}: ketik tiap angka, Enter untuk lanjut.`;
    const holder = $('page-fields');
    holder.textContent = '';
    pageInputs = names.map((name) => {
      const label = document.createElement('label');
      label.textContent = `${labels[name] || fieldLabel(name)} `;
      const input = document.createElement('input');
      input.className = 'entry';
      input.inputMode = 'numeric';
      input.maxLength = 3;
      input.autocomplete = 'off';
      input.dataset.field = name;
      label.appendChild(input);
      const p = document.createElement('p');
      p.appendChild(label);
      holder.appendChild(p);
      return input;
    });
    if (pageInputs.length) pageInputs[0].focus();
  }

  const isNumber = (text) => /^[0-9]{1,3}$/.test(text);

  function onEnter() {
    if (task.kind !== 'KIND_PAGE') {
      if (!isNumber(entryInput.value)) {
        say(message, 'Ketik angka 0–999, atau x bila kosong/dicoret.', true);
        return;
      }
      send({ verdict: 'VERDICT_VALUE', values: { [task.field]: Number(entryInput.value) } });
      return;
    }
    if (!pagePick) {
      if (hasSheets(task)) pickSheet();
      return;
    }
    const index = pageInputs.indexOf(document.activeElement);
    if (index >= 0 && !isNumber(pageInputs[index].value)) {
      say(message, 'Ketik angka 0–999 (x bila kosong).', true);
      return;
    }
    if (index >= 0 && index + 1 < pageInputs.length) {
      pageInputs[index + 1].focus();
      return;
    }
    const values = {};
    for (const input of pageInputs) {
      if (!isNumber(input.value)) { input.focus(); say(message, 'Masih ada yang kosong.', true); return; }
      values[input.dataset.field] = Number(input.value);
    }
    send(sheet
        ? { verdict: 'VERDICT_VALUE', page: sheet.page, party: sheet.party || 0, form_kind: sheet.form_kind, values }
        : { verdict: 'VERDICT_VALUE', page: pagePick, values });
  }

  document.addEventListener('keydown', (event) => {
    if (!task || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest('#moderation')) return;
    const key = event.key;
    const isPage = task.kind === 'KIND_PAGE';
    if (key === 'Enter') { event.preventDefault(); onEnter(); return; }
    if (key === 'Escape' || key === 's' || key === 'S') { event.preventDefault(); skip(); return; }
    if (key === 'u' || key === 'U') { event.preventDefault(); send({ verdict: 'VERDICT_UNREADABLE' }); return; }
    if (key === 'x' || key === 'X' || key === '-') {
      event.preventDefault();
      const target = isPage ? document.activeElement : entryInput;
      if (target && target.classList.contains('entry')) target.value = '0';
      if (!isPage) onEnter();
      return;
    }
    if (isPage && !pagePick) {
      if (!hasSheets(task) && (key === '1' || key === '2' || key === '3')) { event.preventDefault(); pickPage(Number(key)); return; }
      if (key === 'n' || key === 'N') { event.preventDefault(); send({ verdict: 'VERDICT_NOT_A_FORM' }); return; }
      if (key === 'w' || key === 'W') { event.preventDefault(); send({ verdict: 'VERDICT_WRONG_TPS' }); return; }
    }
    if (!isPage && /^[0-9]$/.test(key) && document.activeElement !== entryInput) {
      entryInput.focus();
    }
    // Only digits reach the boxes: letters are not numbers. (The race and
    // sheet lists take arrow keys.)
    if (key.length === 1 && !/[0-9]/.test(key) && event.target.tagName !== 'SELECT') {
      event.preventDefault();
      say(message, `"${key}" bukan angka.`, true);
    }
  });

  const VERDICTS = [
    ['VERDICT_VALUE', 'angka'], ['VERDICT_NOT_A_FORM', 'bukan formulir'],
    ['VERDICT_WRONG_TPS', 'TPS salah'], ['VERDICT_UNREADABLE', 'tak terbaca'],
  ];

  function element(tag, properties = {}) {
    return Object.assign(document.createElement(tag), properties);
  }

  // One number input per field; for a whole photo, the fields of the page
  // the moderator picks.
  function valueInputs(holder, fields) {
    holder.textContent = '';
    return fields.map((name) => {
      const input = element('input', { className: 'entry', inputMode: 'numeric', maxLength: 3 });
      input.dataset.field = name;
      const label = element('label', { textContent: `${fieldLabel(name)} ` });
      label.appendChild(input);
      holder.appendChild(element('p')).appendChild(label);
      return input;
    });
  }

  function disputedForm(disputed) {
    const isPage = disputed.kind === 'KIND_PAGE';
    const form = element('form', { className: 'card' });
    form.appendChild(element('p', {
      textContent: `TPS ${disputed.tps_code} · ${isPage ? 'foto utuh' : `halaman ${disputed.page} · ${fieldLabel(disputed.field)}`} · ${disputed.entry_count} ketikan berbeda`,
    }));
    const image = form.appendChild(element('img', { className: 'task-image', alt: 'Formulir' }));
    let chosenSheet = null;
    if (isPage) {
      // Lists leave the photo (and a legislative photo's sheets) out;
      // fetch this one task with them.
      api('GET', `/api/v1/reviewTasks/${encodeURIComponent(disputed.name.replace(/^reviewTasks\//, ''))}`)
          .then((full) => {
            image.src = `data:image/jpeg;base64,${full.photo}`;
            if (!hasSheets(full)) return;
            pagePick.textContent = '';
            pagePick.appendChild(element('option', { value: '', textContent: 'lembar…' }));
            full.sheets.forEach((s, i) => pagePick.appendChild(element('option', {
              value: String(i), textContent: `${RACES[s.form_kind] || s.form_kind} · ${s.label}`,
            })));
            pagePick.onchange = () => {
              chosenSheet = full.sheets[Number(pagePick.value)] || null;
              page = chosenSheet ? chosenSheet.page : 0;
              inputs = valueInputs(values, chosenSheet ? chosenSheet.fields.map((f) => f.name) : []);
              if (chosenSheet) {
                inputs.forEach((input, i) => { input.parentNode.firstChild.textContent = `${chosenSheet.fields[i].label} `; });
              }
            };
          })
          .catch((error) => { image.alt = error.message; });
    } else {
      image.src = `data:image/png;base64,${disputed.image_png}`;
    }
    const verdict = form.appendChild(element('select', { ariaLabel: 'Keputusan' }));
    for (const [value, text] of VERDICTS) verdict.appendChild(element('option', { value, textContent: text }));
    let page = disputed.page;
    const pagePick = element('select', { ariaLabel: 'Halaman' });
    const values = element('div');
    let inputs = valueInputs(values, isPage ? [] : [disputed.field]);
    if (isPage) {
      pagePick.appendChild(element('option', { value: '0', textContent: 'halaman…' }));
      for (const p of Object.keys(pageFields)) pagePick.appendChild(element('option', { value: p, textContent: `halaman ${p}` }));
      pagePick.addEventListener('change', () => {
        page = Number(pagePick.value);
        inputs = valueInputs(values, pageFields[page] || []);
      });
      form.appendChild(pagePick);
    }
    form.appendChild(values);
    const reason = form.appendChild(element('input', { placeholder: 'Alasan (wajib)', required: true, ariaLabel: 'Alasan' }));
    form.appendChild(element('button', { textContent: 'Putuskan' }));
    const note = form.appendChild(element('p', { className: 'message' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const decision = { task: disputed.name, verdict: verdict.value };
      if (verdict.value === 'VERDICT_VALUE') {
        if (!inputs.length || !inputs.every((input) => isNumber(input.value))) {
          say(note, 'Setiap angka 0–999.', true);
          return;
        }
        decision.page = page;
        if (chosenSheet) {
          decision.party = chosenSheet.party || 0;
          decision.form_kind = chosenSheet.form_kind;
        }
        decision.values = Object.fromEntries(inputs.map((input) => [input.dataset.field, Number(input.value)]));
      }
      try {
        await api('POST', '/api/v1/reviewTasks:resolve', { task: disputed.name, reason: reason.value, decision });
        form.remove();
      } catch (error) { say(note, error.message, true); }
    });
    return form;
  }

  async function loadDisputed() {
    const holder = $('disputed');
    holder.textContent = '';
    let listed;
    try {
      listed = await api('GET', '/api/v1/reviewTasks?filter=disputed');
    } catch (error) {
      holder.textContent = `Galat: ${error.message}`;
      return;
    }
    const tasks = listed.tasks || [];
    if (!tasks.length) { holder.textContent = 'Tidak ada tugas berselisih.'; return; }
    for (const disputed of tasks) holder.appendChild(disputedForm(disputed));
  }

  signedIn().then(() => {
    show($('work'), true);
    if (session.roles.includes('ROLE_MODERATOR') || session.roles.includes('ROLE_ADMIN')) {
      show($('moderation'), true);
      $('load-disputed').addEventListener('click', loadDisputed);
    }
    refreshStats();
    next();
  });
})();
