{{%AUTOESCAPE context="HTML"}}{{!
  Verified results against Sirekap below one region: the child regions
  (linked down to the kelurahan), then the TPS with each field's two
  values, our photos and Sirekap's image links side by side.
}}<h1>Hasil terverifikasi vs Sirekap: {{REGION}}</h1>
<p>{{TOTAL_TPS}} TPS di salah satu sumber; {{DISCREPANT_TPS}} TPS berbeda. Selisih = Sirekap − kami.</p>
<table><tr><th>wilayah</th><th>dibandingkan</th><th>berbeda</th><th>hanya kami</th><th>hanya Sirekap</th><th>selisih 01</th><th>selisih 02</th><th>selisih 03</th><th>ukuran</th></tr>
{{#ROW}}<tr><td>{{#LINKED}}<a href="{{HREF}}">{{NAME}}</a>{{/LINKED}}{{#UNLINKED}}{{NAME}}{{/UNLINKED}}</td><td>{{COMPARED}}</td><td>{{DIFFERING}}</td><td>{{ONLY_OURS}}</td><td>{{ONLY_SIREKAP}}</td>{{#NET}}<td>{{VALUE}}</td>{{/NET}}<td>{{SIZE}}</td></tr>
{{/ROW}}</table>
<h2>TPS</h2>
<table><tr><th>TPS</th><th>ukuran</th><th>kami / Sirekap</th><th>foto kami</th><th>foto Sirekap</th><th>waktu Sirekap</th></tr>
{{#TPS}}<tr><td>{{CODE}}</td><td>{{SIZE}}</td><td>{{#FIELD}}{{TEXT}}{{#FIELD_separator}}<br>{{/FIELD_separator}}{{/FIELD}}</td><td><a href="{{OURS_HREF}}">hasil kami</a>{{#SUBMISSION}}<br>{{ID}}{{/SUBMISSION}}</td><td>{{#NO_IMAGE}}–{{/NO_IMAGE}}{{#IMAGE}}{{#LINKED}}<a href="{{URL}}" rel="noopener noreferrer">foto {{NUMBER}}</a>{{/LINKED}}{{#UNLINKED}}{{URL}}{{/UNLINKED}}{{#IMAGE_separator}}<br>{{/IMAGE_separator}}{{/IMAGE}}</td><td>{{SIREKAP_TIME}}</td></tr>
{{/TPS}}</table>
{{#NEXT_PAGE}}<p><a href="{{HREF}}">berikutnya</a></p>
{{/NEXT_PAGE}}
