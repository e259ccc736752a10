{{%AUTOESCAPE context="HTML"}}{{!
  A region in one race: its aggregate, the dapil it lies in (legislative
  races), then its children (CHILDREN) or, for a kelurahan, its TPS
  (TPS_LIST), sortable by the page's table script.
}}{{>CRUMBS}}<h1>{{HEADING}}</h1>
<p class="small">{{FORM_LABEL}}{{#HAS_CODE}} · kode {{CODE}}{{/HAS_CODE}}</p>
{{>RACES}}
{{#NO_RESULTS}}<p class="status">Belum ada hasil terverifikasi untuk pemilihan ini di wilayah ini.</p>
{{/NO_RESULTS}}{{#PICK_PROVINCE}}<p class="status">Calon DPD berbeda di tiap provinsi: pilih provinsi untuk melihat perolehan suara calonnya.</p>
{{/PICK_PROVINCE}}<section class="summary">{{#HAS_VOTES}}{{>VOTES}}{{/HAS_VOTES}}{{>COVERAGE}}</section>
{{#DAPIL}}<h2>Daerah pemilihan (dapil)</h2>
<ul class="dapil-list">{{#ITEM}}<li><a href="{{HREF}}">{{NAME}}</a> <span class="small">kode {{CODE}} · {{TPS}} TPS di dapil ini</span></li>
{{/ITEM}}</ul>
{{/DAPIL}}{{#NO_DAPIL}}<p class="small">Wilayah ini belum masuk dapil mana pun untuk pemilihan ini.</p>
{{/NO_DAPIL}}{{#ALL_DAPIL}}<p><a href="{{HREF}}">Semua daerah pemilihan (dapil) {{RACE}}</a></p>
{{/ALL_DAPIL}}{{#CHILDREN}}<h2>{{LEVEL}}</h2>
<div class="wide"><table class="sortable"><thead><tr><th><button type="button">Wilayah</button></th>{{#CANDIDATE}}<th><button type="button">{{LABEL}}</button></th>{{/CANDIDATE}}<th><button type="button">TPS masuk</button></th><th><button type="button">Ditandai</button></th></tr></thead><tbody>
{{#CHILD}}<tr><td data-sort="{{NAME}}"><a href="{{HREF}}">{{NAME}}</a></td>{{#VOTE}}<td class="num" data-sort="{{VOTES_KEY}}">{{VOTES}}<small>{{PERCENT}}</small></td>{{/VOTE}}<td class="num" data-sort="{{COVERAGE_KEY}}">{{WITH_RESULT}}/{{TOTAL}}<small>{{COVERAGE}}</small></td><td class="num" data-sort="{{FLAGGED_KEY}}">{{FLAGGED}}</td></tr>
{{/CHILD}}</tbody></table></div>
{{/CHILDREN}}{{#TPS_LIST}}<h2>TPS</h2>
<div class="wide"><table class="sortable"><thead><tr><th><button type="button">TPS</button></th>{{#CANDIDATE}}<th><button type="button">{{LABEL}}</button></th>{{/CANDIDATE}}<th><button type="button">Status</button></th></tr></thead><tbody>
{{#TPS}}<tr><td data-sort="{{CODE}}"><a href="{{HREF}}">{{NAME}}</a></td>{{#VOTE}}<td class="num" data-sort="{{VOTES_KEY}}">{{VOTES}}</td>{{/VOTE}}<td>{{STATUS}}</td></tr>
{{/TPS}}</tbody></table></div>
{{/TPS_LIST}}{{#NEXT_PAGE}}<p><a href="{{HREF}}">Berikutnya ›</a></p>
{{/NEXT_PAGE}}
