{{%AUTOESCAPE context="HTML"}}{{!
  The dapil of one legislative race, one page of them, in code order.
}}<nav class="crumbs" aria-label="Jalur"><a href="{{NATION_HREF}}">Nasional</a></nav>
<h1>Daerah pemilihan (dapil) {{RACE}}</h1>
<p class="small">{{FORM_LABEL}}</p>
{{#NONE}}<p>Belum ada dapil yang diimpor untuk pemilihan ini.</p>
{{/NONE}}{{#LIST}}<div class="wide"><table class="sortable"><thead><tr><th><button type="button">Dapil</button></th><th><button type="button">Kode</button></th><th><button type="button">TPS masuk</button></th><th><button type="button">Ditandai</button></th></tr></thead><tbody>
{{#DAPIL}}<tr><td data-sort="{{NAME}}"><a href="{{HREF}}">{{NAME}}</a></td><td>{{CODE}}</td><td class="num" data-sort="{{COVERAGE_KEY}}">{{WITH_RESULT}}/{{TOTAL}}<small>{{COVERAGE}}</small></td><td class="num" data-sort="{{FLAGGED_KEY}}">{{FLAGGED}}</td></tr>
{{/DAPIL}}</tbody></table></div>
{{/LIST}}{{#NEXT_PAGE}}<p><a href="{{HREF}}">Berikutnya ›</a></p>
{{/NEXT_PAGE}}
