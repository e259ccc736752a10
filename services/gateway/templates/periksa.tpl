{{%AUTOESCAPE context="HTML"}}{{!
  Review: blind entry of numbers, and the moderators' view; FORM_JSON is the form's pages and labels.
}}<h1>Periksa angka</h1>
<p class="small">Ketik angka yang tertulis di potongan formulir. Anda tidak melihat bacaan mesin atau ketikan relawan lain: dua ketikan yang sama menjadi angka resmi.</p>
{{>SIGNIN}}
<div id="form-data" data-form="{{FORM_JSON}}" hidden></div>
<section id="work" class="hidden">
  <p id="stats" class="small"></p>
  <div id="task" class="card" aria-live="polite">
    <p id="task-label"></p>
    <img id="task-image" class="task-image" alt="Potongan formulir">
    <p id="context" class="small hidden">Seluruh halaman: <a id="context-link" target="_blank" rel="noopener"><img id="context-image" class="context" alt="Foto halaman utuh"></a></p>
    <div id="field-entry">
      <p><label>Angka <input id="entry" class="entry" inputmode="numeric" autocomplete="off" maxlength="3" aria-describedby="keys"></label></p>
    </div>
    <div id="page-entry" class="hidden">
      <p id="page-prompt">Halaman berapa? Tekan <kbd>1</kbd>, <kbd>2</kbd> atau <kbd>3</kbd>.</p>
      <p id="sheet-pick" class="hidden"><label>Pemilihan <select id="race-pick"></select></label>
        <label>Lembar <select id="sheet-choice"></select></label></p>
      <div id="page-fields"></div>
    </div>
    <p id="keys" class="keys"><kbd>0</kbd>–<kbd>9</kbd> angka · <kbd>Enter</kbd> kirim · <kbd>x</kbd> kosong/dicoret (0) · <kbd>u</kbd> tak terbaca · <kbd>s</kbd> lewati · di foto utuh: <kbd>n</kbd> bukan formulir, <kbd>w</kbd> TPS salah</p>
    <p id="task-message" class="message" role="status"></p>
  </div>
  <section id="moderation" class="hidden">
    <h2>Moderator: ketikan yang berselisih</h2>
    <p><button id="load-disputed" type="button">Muat tugas berselisih</button></p>
    <div id="disputed"></div>
  </section>
</section>
