// The upload page: find the TPS (by code, or by kelurahan name and then its
// TPS), take or choose a photo, watch it upload, then watch the machine
// read it: each number it is sure of, or that it waits for volunteers.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('upload-message');
  const tpsInput = $('tps');

  function listPlaces(items) {
    const list = $('places');
    list.textContent = '';
    for (const item of items) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = item.label;
      button.addEventListener('click', item.pick);
      li.appendChild(button);
      list.appendChild(li);
    }
  }

  async function showTpsOf(kelurahan) {
    const json = await api('GET', `/api/v1/regions/${encodeURIComponent(kelurahan.code)}?page_size=1000`);
    listPlaces((json.tps || []).map((tps) => ({
      label: `${tps.name} (${tps.code})`,
      pick: () => { tpsInput.value = tps.code; listPlaces([]); $('photo').focus(); },
    })));
  }

  let searchTimer = 0;
  $('place').addEventListener('input', () => {
    clearTimeout(searchTimer);
    const query = $('place').value.trim();
    if (query.length < 3) { listPlaces([]); return; }
    searchTimer = setTimeout(async () => {
      try {
        const json = await api('GET', `/api/v1/search?q=${encodeURIComponent(query)}`);
        listPlaces(json.results.filter((r) => r.level === 'REGION_LEVEL_KELURAHAN' || r.level === 'REGION_LEVEL_TPS')
            .map((r) => ({
              label: `${r.name}, ${r.path}`,
              pick: () => (r.level === 'REGION_LEVEL_TPS'
                  ? (tpsInput.value = r.code, listPlaces([]))
                  : showTpsOf(r)),
            })));
      } catch (error) {
        say(message, error.message, true);
      }
    }, 250);
  });

  // XMLHttpRequest, not fetch: it reports upload progress.
  function upload(tps, race, file) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/api/v1/submissions?tps_code=${encodeURIComponent(tps)}&form_kind=${encodeURIComponent(race)}`);
      request.setRequestHeader('X-CSRF-Token', session.csrf);
      request.setRequestHeader('Content-Type', 'application/octet-stream');
      const bar = $('progress');
      show(bar, true);
      request.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) bar.value = Math.round(100 * event.loaded / event.total);
      });
      request.addEventListener('load', () => {
        let json = {};
        try { json = JSON.parse(request.responseText); } catch (error) { /* below */ }
        if (request.status === 200) resolve(json);
        else reject(new Error((json.error && json.error.message) || `HTTP ${request.status}`));
      });
      request.addEventListener('error', () => reject(new Error('koneksi terputus')));
      request.send(file);
    });
  }

  const stateText = {
    STATE_RECEIVED: 'Diterima, menunggu dibaca mesin…',
    STATE_READ: 'Dibaca mesin; angka yang tidak pasti menunggu relawan.',
    STATE_READ_BY_PEOPLE: 'Menunggu dua relawan mengetik lembar ini.',
    STATE_SETTLED: 'Selesai: semua angka terjamin.',
    STATE_FAILED: 'Tidak bisa dipakai',
  };

  function showReading(submission) {
    show($('result'), true);
    const remarks = (submission.remarks || []).join('; ');
    const byPeople = submission.form_kind && submission.form_kind !== 'ppwp';
    const state = byPeople && submission.state === 'STATE_READ' ? 'STATE_READ_BY_PEOPLE' : submission.state;
    $('result-state').textContent = `${stateText[state] || state}${remarks ? ` (${remarks})` : ''}`;
    const rows = $('result-fields');
    rows.textContent = '';
    const reading = submission.reading || {};
    if (reading.page) {
      const row = rows.insertRow();
      row.insertCell().textContent = 'Halaman';
      row.insertCell().textContent = reading.page;
    }
    if (!(reading.fields || []).length) {
      // Typed whole by people (a legislative sheet): what they settled.
      for (const [name, value] of Object.entries(submission.settled_values || {})) {
        const row = rows.insertRow();
        row.insertCell().textContent = name.replace(/_/g, ' ');
        row.insertCell().textContent = value;
      }
    }
    for (const field of reading.fields || []) {
      const row = rows.insertRow();
      row.insertCell().textContent = field.name.replace(/_/g, ' ');
      const settled = (submission.settled_values || {})[field.name];
      row.insertCell().textContent = settled !== undefined ? settled
          : field.status === 'STATUS_ACCEPTED' ? field.value : 'menunggu relawan';
    }
  }

  async function follow(id) {
    for (let i = 0; i < 150; i++) {
      const submission = await api('GET', `/api/v1/submissions/${encodeURIComponent(id)}`);
      showReading(submission);
      if (submission.state !== 'STATE_RECEIVED') return;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  $('upload').addEventListener('submit', async (event) => {
    event.preventDefault();
    const tps = tpsInput.value.trim();
    const file = $('photo').files[0];
    if (!/^[0-9]{13}$/.test(tps)) { say(message, 'Kode TPS harus 13 angka.', true); return; }
    if (!file) { say(message, 'Pilih foto dulu.', true); return; }
    if (file.size > 25 * 1024 * 1024) { say(message, 'Foto lebih dari 25 MB.', true); return; }
    say(message, 'Mengunggah…');
    try {
      const submission = await upload(tps, $('race').value, file);
      say(message, 'Terunggah.');
      const id = submission.name.replace(/^submissions\//, '');
      showReading(submission);
      await follow(id);
    } catch (error) {
      say(message, `Gagal: ${error.message}`, true);
    }
  });

  signedIn().then(() => { show($('work'), true); tpsInput.focus(); });
})();
