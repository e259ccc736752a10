{{%AUTOESCAPE context="HTML"}}{{!
  A dapil of a legislative race: its regions, coverage, the parties' totals
  and each candidate's votes, in ballot order or by votes (the SORT links
  work without a script; the tables also sort by clicking a header).
}}<nav class="crumbs" aria-label="Jalur"><a href="{{NATION_HREF}}">Nasional</a> › <a href="{{LIST_HREF}}">Dapil {{RACE}}</a></nav>
<h1>Dapil {{NAME}}</h1>
<p class="small">{{FORM_LABEL}} · kode dapil {{CODE}}</p>
{{#REGIONS}}<p>Wilayah: {{#REGION}}<a href="{{HREF}}">{{NAME}}</a>{{#REGION_separator}}, {{/REGION_separator}}{{/REGION}}</p>
{{/REGIONS}}{{#NO_BALLOT}}<p class="status">Daftar calon dapil ini belum diimpor.</p>
{{/NO_BALLOT}}{{#NO_RESULTS}}<p class="status">Belum ada hasil terverifikasi di dapil ini.</p>
{{/NO_RESULTS}}<section class="summary">{{#HAS_VOTES}}{{>VOTES}}{{/HAS_VOTES}}{{>COVERAGE}}</section>
{{#BALLOT}}<h2>Perolehan suara calon</h2>
<p>Urutkan: {{#SORT}}{{#CURRENT}}<strong aria-current="true">{{LABEL}}</strong>{{/CURRENT}}{{#OTHER}}<a href="{{HREF}}">{{LABEL}}</a>{{/OTHER}}{{#SORT_separator}} · {{/SORT_separator}}{{/SORT}}</p>
{{#PARTY}}<h3>{{#HAS_PARTY}}{{NUMBER}}. {{NAME}}{{/HAS_PARTY}}{{#NO_PARTY}}Calon perseorangan{{/NO_PARTY}}</h3>
{{#HAS_PARTY}}<p class="small">Suara partai saja: {{PARTY_ONLY}} · jumlah suara partai: {{TOTAL}}</p>
{{/HAS_PARTY}}<div class="wide"><table class="sortable candidates"><thead><tr><th><button type="button">No.</button></th><th><button type="button">Nama calon</button></th><th><button type="button">Suara</button></th><th>%</th></tr></thead><tbody>
{{#CANDIDATE}}<tr><td class="num" data-sort="{{NUMBER}}">{{NUMBER}}</td><td>{{NAME}}</td><td class="num" data-sort="{{VOTES_KEY}}">{{VOTES}}</td><td class="num">{{PERCENT}}</td></tr>
{{/CANDIDATE}}</tbody></table></div>
{{/PARTY}}{{/BALLOT}}
