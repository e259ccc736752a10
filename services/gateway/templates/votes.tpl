{{%AUTOESCAPE context="HTML"}}{{!
  Votes per candidate pair (or party, or DPD candidate) with shares, and
  the same as a bar chart (SVG attributes, not inline styles, which the
  pages' CSP forbids).
}}<table class="votes"><thead><tr><th>{{HEADING}}</th><th>Suara</th><th>%</th></tr></thead><tbody>
{{#CANDIDATE}}<tr><td>{{LABEL}}</td><td class="num">{{VOTES}}</td><td class="num">{{PERCENT}}</td></tr>
{{/CANDIDATE}}</tbody></table>
<svg class="chart" role="img" aria-label="Grafik perolehan suara" viewBox="0 0 100 {{CHART_HEIGHT}}" preserveAspectRatio="none">{{#CANDIDATE}}<rect class="bar{{BAR_CLASS}}" x="0" y="{{BAR_Y}}" height="10" width="{{BAR_WIDTH}}"/>{{/CANDIDATE}}</svg>
