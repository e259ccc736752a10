{{%AUTOESCAPE context="HTML"}}{{!
  Upload a photo (for uploaders); the sign-in form is SIGNIN.
}}<h1>Unggah foto formulir C.Hasil</h1>
<p class="small">Foto satu lembar C.Hasil yang utuh, tegak dan terang. Lembar presiden (PPWP) dibaca mesin; angka yang tidak pasti diketik ulang oleh relawan. Lembar DPR, DPD dan DPRD diketik seluruhnya oleh dua relawan.</p>
{{>SIGNIN}}
<section id="work" class="hidden">
  <form id="upload" class="card" novalidate>
    <p><label>Kode TPS (13 angka)<br><input id="tps" name="tps_code" inputmode="numeric" pattern="[0-9]{13}" maxlength="13" required autocomplete="off"></label></p>
    <p><label>Atau cari kelurahan/desa<br><input id="place" type="search" autocomplete="off" placeholder="nama kelurahan"></label></p>
    <ul id="places" class="matches"></ul>
    <p><label>Pemilihan<br><select id="race" name="form_kind">
      <option value="ppwp" selected>Presiden dan Wakil Presiden (C.Hasil-PPWP)</option>
      <option value="pdpr">DPR (C.Hasil-DPR)</option>
      <option value="pdpd">DPD (C.Hasil-DPD)</option>
      <option value="pdprdp">DPRD Provinsi (C.Hasil-DPRD Prov)</option>
      <option value="pdprdk">DPRD Kabupaten/Kota (C.Hasil-DPRD Kab/Kota)</option>
    </select></label></p>
    <p><label>Foto<br><input id="photo" type="file" accept="image/*" capture="environment" required></label></p>
    <p><button>Unggah</button></p>
    <progress id="progress" max="100" value="0" class="hidden"></progress>
    <p id="upload-message" class="message" role="status"></p>
  </form>
  <section id="result" class="card hidden" aria-live="polite">
    <h2>Hasil bacaan</h2>
    <p id="result-state"></p>
    <table><tbody id="result-fields"></tbody></table>
  </section>
</section>
