{{%AUTOESCAPE context="HTML"}}{{!
  One TPS in one race: its dapil (legislative races), its verified result
  with who vouched for each number (for a legislative race: per party,
  party-only votes, each candidate and the total) and the crop it was read
  from, its photos, Sirekap's numbers, its journal of that race.
}}{{>CRUMBS}}<h1>{{TPS_NAME}}, {{PLACE}}</h1>
<p class="small">Kode TPS {{CODE}} · {{FORM_LABEL}}</p>
{{>RACES}}
{{#DAPIL}}<p>Dapil: <a href="{{HREF}}">{{NAME}}</a> <span class="small">kode {{CODE}}</span></p>
{{/DAPIL}}{{#NO_DAPIL}}<p class="status">TPS ini belum masuk dapil mana pun untuk pemilihan ini.</p>
{{/NO_DAPIL}}{{#NO_RESULT}}<p class="status">Belum ada hasil terverifikasi.</p>
{{/NO_RESULT}}{{#RESULT}}<section class="summary">{{>VOTES}}</section>
{{#UNFLAGGED}}<p class="status ok">Terverifikasi, tanpa tanda.</p>
{{/UNFLAGGED}}{{#FLAGGED}}<div class="status flagged">Ditandai:<ul>{{#FLAG}}<li>{{TEXT}}</li>{{/FLAG}}</ul></div>
{{/FLAGGED}}<p class="small">Terakhir berubah {{UPDATE_TIME}}</p>
<h2>Angka</h2>
<div class="wide"><table class="result"><thead><tr><th>Isian</th><th>Angka</th><th>Dari foto</th><th>Dijamin oleh</th><th>Sirekap</th></tr></thead><tbody>
{{#FIELD}}<tr><td>{{LABEL}}</td><td class="num big">{{VALUE}}</td><td>{{#CROP}}<img class="crop" src="/foto/{{PHOTO_ID}}/{{NAME}}.png" alt="Potongan foto: {{NAME}}">{{/CROP}}</td><td>{{SOURCE}}</td><td class="num">{{#SIREKAP_SAME}}{{SIREKAP}}{{/SIREKAP_SAME}}{{#SIREKAP_DIFFERS}}<mark>{{SIREKAP}}</mark>{{/SIREKAP_DIFFERS}}{{#SIREKAP_NONE}}–{{/SIREKAP_NONE}}</td></tr>
{{/FIELD}}</tbody></table></div>
{{#NOTE}}<p class="note">Catatan: {{TEXT}}</p>
{{/NOTE}}{{/RESULT}}<h2>Foto formulir</h2>
{{#NO_PHOTO}}<p>Belum ada foto formulir untuk TPS ini. <a href="/unggah">Unggah foto</a>.</p>
{{/NO_PHOTO}}{{#PHOTOS}}<ul class="photos">
{{#PHOTO}}<li><a href="/foto/{{ID}}"><img class="photo" loading="lazy" src="/foto/{{ID}}" alt="Foto halaman {{PAGE}}"></a><div>Halaman {{PAGE}} · diunggah {{CREATE_TIME}} · {{STATE}}{{#FLAGS}} · {{TEXT}}{{/FLAGS}}</div><div class="small">{{#VALUE}}{{LABEL}}: {{NUMBER}} ({{BY}}){{#VALUE_separator}} · {{/VALUE_separator}}{{/VALUE}}</div></li>
{{/PHOTO}}</ul>
{{/PHOTOS}}<h2>Sirekap KPU</h2>
{{#NO_SIREKAP}}<p>Data Sirekap untuk TPS ini belum diimpor.</p>
{{/NO_SIREKAP}}{{#SIREKAP}}<p>Data Sirekap per {{SIREKAP_TIME}} WIB.</p>
<ul>{{#VALUE}}<li>{{LABEL}}: {{NUMBER}}</li>{{/VALUE}}</ul>
{{#IMAGE}}<a rel="noopener noreferrer nofollow" href="{{URL}}">Foto Sirekap {{NUMBER}}</a> {{/IMAGE}}{{/SIREKAP}}<h2>Riwayat (jurnal)</h2>
{{#NO_JOURNAL}}<p>Belum ada perubahan.</p>
{{/NO_JOURNAL}}{{#JOURNAL}}<ol class="journal">
{{#ENTRY}}<li><span class="small">#{{SEQUENCE}} · {{COMMIT_TIME}} · {{SOURCE}}</span><br>{{CHANGES}}{{#NOTE}} — {{TEXT}}{{/NOTE}}<br><code class="small">hash {{HASH}}…</code></li>
{{/ENTRY}}</ol>
{{/JOURNAL}}
