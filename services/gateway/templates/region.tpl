{{%AUTOESCAPE context="HTML"}}{{!
  A region: its aggregate, then its children (CHILDREN) or, for a
  kelurahan, its TPS (TPS_LIST), sortable by the page's table script.
}}{{>CRUMBS}}<h1>{{HEADING}}</h1>
<p class="small">{{FORM_LABEL}}{{#HAS_CODE}} · kode {{CODE}}{{/HAS_CODE}}</p>
<section class="summary">{{>VOTES}}{{>COVERAGE}}</section>
{{#CHILDREN}}<h2>{{LEVEL}}</h2>
<div class="wide"><table class="sortable"><thead><tr><th><button type="button">Wilayah</button></th>{{#CANDIDATE}}<th><button type="button">{{LABEL}}</button></th>{{/CANDIDATE}}<th><button type="button">TPS masuk</button></th><th><button type="button">Ditandai</button></th></tr></thead><tbody>
{{#CHILD}}<tr><td data-sort="{{NAME}}"><a href="{{HREF}}">{{NAME}}</a></td>{{#VOTE}}<td class="num" data-sort="{{VOTES_KEY}}">{{VOTES}}<small>{{PERCENT}}</small></td>{{/VOTE}}<td class="num" data-sort="{{COVERAGE_KEY}}">{{WITH_RESULT}}/{{TOTAL}}<small>{{COVERAGE}}</small></td><td class="num" data-sort="{{FLAGGED_KEY}}">{{FLAGGED}}</td></tr>
{{/CHILD}}</tbody></table></div>
{{/CHILDREN}}{{#TPS_LIST}}<h2>TPS</h2>
<div class="wide"><table class="sortable"><thead><tr><th><button type="button">TPS</button></th>{{#CANDIDATE}}<th><button type="button">{{LABEL}}</button></th>{{/CANDIDATE}}<th><button type="button">Status</button></th></tr></thead><tbody>
{{#TPS}}<tr><td data-sort="{{CODE}}"><a href="{{HREF}}">{{NAME}}</a></td>{{#VOTE}}<td class="num" data-sort="{{VOTES_KEY}}">{{VOTES}}</td>{{/VOTE}}<td>{{STATUS}}</td></tr>
{{/TPS}}</tbody></table></div>
{{/TPS_LIST}}{{#NEXT_PAGE}}<p><a href="{{HREF}}">Berikutnya ›</a></p>
{{/NEXT_PAGE}}
